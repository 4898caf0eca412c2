package dev.warden.evaluate.diff;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.core.Environment;
import dev.warden.core.Severity;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.SourceAcquisition;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.CargoTool;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The attack as Cargo itself resolves it: real cargo locks the vendored crates before and after `cargo update`. */
class DiffEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void cargoUpdatePullsInThePayloadAndTheDiffSaysSo() throws Exception {
        Path cargo = CargoTool.find().orElse(null);
        Assumptions.assumeTrue(cargo != null, "cargo is not installed");
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Files.delete(app.resolve("Cargo.lock"));
        Map<String, String> env = Map.of("CARGO_HOME", dir.resolve("cargo-home").toString());

        // Before the compromised release exists, Cargo locks 2.1.0 …
        Path parked = dir.resolve("parked");
        Files.move(dir.resolve("vendor/rust-utilities-v2-2.1.1"), parked);
        CargoTool.Result lock = CargoTool.run(cargo, app, env, "generate-lockfile", "--offline");
        assertThat(lock.status()).as(lock.output()).isZero();
        String before = Files.readString(app.resolve("Cargo.lock"));
        assertThat(before).isEqualTo(AttackProject.lockfile(false));

        // … and a routine `cargo update` takes the patch release and the crate it pulls in.
        Files.move(parked, dir.resolve("vendor/rust-utilities-v2-2.1.1"));
        CargoTool.Result update = CargoTool.run(cargo, app, env, "update", "--offline");
        assertThat(update.status()).as(update.output()).isZero();
        assertThat(update.output()).contains("rust-utilities-v2 v2.1.0 -> v2.1.1", "url-parse v0.1.0");
        assertThat(Files.readString(app.resolve("Cargo.lock"))).isEqualTo(AttackProject.lockfile(true));

        Environment environment = TestEnv.in(dir);
        Project after = new ProjectLoader(environment).load(app.toString());
        Change change = Change.between(new Base(LockfileParser.parse(before, Path.of("before")), "before"),
                after.lockfile());
        ScannedCrates crates = ScannedCrates.of(SourceAcquisition.forProject(after, environment, true),
                change.codeToRead(), p -> { });
        SecurityDiff.Result result = SecurityDiff.review(new CheckContext(after, null, change, crates, environment),
                "Cargo.lock");
        assertThat(result.risk().level()).isEqualTo(Severity.CRITICAL);
        assertThat(result.findings()).anyMatch(f -> f.id().equals("exfiltration-pattern")
                && f.crate().equals("url-parse") && f.evidence().getFirst().file().equals("url-parse-0.1.0/build.rs"));
    }
}
