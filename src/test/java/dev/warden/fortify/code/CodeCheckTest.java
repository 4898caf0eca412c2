package dev.warden.fortify.code;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.check.CheckContext;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.scan.UnsafeCounts;
import dev.warden.testing.Fixtures;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class CodeCheckTest {

    @TempDir
    Path dir;

    private Project project;

    @BeforeEach
    void lockfile() {
        Fixtures.write(dir, "Cargo.lock", Lockfiles.appDependingOn("ring 0.17.8", "serde_derive 1.0.210",
                "libc 0.2.159", "itoa 1.0.11"));
        project = new ProjectLoader(TestEnv.in(dir)).load(dir.toString());
    }

    /** What the scanner would report: ring has a build script, serde_derive is a proc macro, libc is all unsafe. */
    private static Optional<CrateScan> scan(LockedPackage pkg) {
        return switch (pkg.name()) {
            case "ring" -> Optional.of(scanned(pkg, true, false, 40));
            case "serde_derive" -> Optional.of(scanned(pkg, false, true, 0));
            case "libc" -> Optional.of(scanned(pkg, false, false, 900));
            case "itoa" -> Optional.of(scanned(pkg, false, false, 3));
            default -> Optional.empty();
        };
    }

    private static CrateScan scanned(LockedPackage pkg, boolean buildScript, boolean procMacro, int unsafeBlocks) {
        return new CrateScan(pkg.name(), pkg.version().toString(), "test", buildScript, procMacro,
                new UnsafeCounts(0, unsafeBlocks, 0, 0), Map.of(), new TreeMap<>(), Set.of(), Map.of(), List.of(),
                List.of(), 0, 0, null, null);
    }

    /** The whole lockfile is the change, and its third-party crates were scanned as {@link #scan} says. */
    private CheckContext context() {
        Map<PackageId, ScannedCrates.Outcome> outcomes = new LinkedHashMap<>();
        project.lockfile().packages().stream().filter(p -> p.source() != null)
                .forEach(p -> scan(p).ifPresent(s -> outcomes.put(p.id(), new ScannedCrates.Scanned(s, false))));
        return new CheckContext(project, null, Change.whole(project.lockfile()), ScannedCrates.of(outcomes),
                TestEnv.in(dir));
    }

    private List<String> run(CodePolicy policy) {
        return new CodeCheck(policy).run(context()).stream().map(f -> f.id() + ":" + f.crate()).toList();
    }

    private static CodePolicy.Allowed allowed(String name, String version, String checksum) {
        return new CodePolicy.Allowed(name, version == null ? null : VersionReq.parse(version), checksum, "reviewed",
                "warden.toml", 3);
    }

    @Test
    void withoutAnAllowListOrBudgetNothingIsJudged() {
        assertThat(run(CodePolicy.defaults())).isEmpty();
    }

    @Test
    void buildScriptsAndProcMacrosNeedAnAllowListEntryAtThePinnedVersion() {
        CodePolicy policy = new CodePolicy(Severity.HIGH, Severity.MEDIUM,
                List.of(allowed("ring", "=0.17.7", null), allowed("serde_derive", "1", null)), true, null, Map.of());
        assertThat(run(policy)).containsExactly("build-code-pin-mismatch:ring");
        policy = new CodePolicy(Severity.HIGH, Severity.MEDIUM, List.of(allowed("ring", "=0.17.8", null)), true, null,
                Map.of());
        assertThat(run(policy)).containsExactly("build-code-not-allowed:serde_derive");
        // cargo-deny's [bans.build] allow-build-scripts lists build scripts only: the proc macro is not its concern.
        policy = new CodePolicy(Severity.HIGH, Severity.MEDIUM, List.of(allowed("ring", "=0.17.8", null)), false,
                null, Map.of());
        assertThat(run(policy)).isEmpty();
    }

    @Test
    void aPinnedChecksumMustMatchTheLockedOne() {
        Fixtures.write(dir, "Cargo.lock", Lockfiles.appDependingOn("ring 0.17.8")
                + "checksum = \"" + "ab".repeat(32) + "\"\n");
        project = new ProjectLoader(TestEnv.in(dir)).load(dir.toString());
        CodePolicy pinned = new CodePolicy(Severity.HIGH, Severity.MEDIUM,
                List.of(allowed("ring", null, "AB".repeat(32))), true, null, Map.of());
        assertThat(run(pinned)).isEmpty();
        CodePolicy other = new CodePolicy(Severity.HIGH, Severity.MEDIUM,
                List.of(allowed("ring", null, "cd".repeat(32))), true, null, Map.of());
        List<Finding> findings = new CodeCheck(other).run(context());
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("build-code-pin-mismatch");
            assertThat(f.message()).contains("with checksum " + "cd".repeat(32));
            assertThat(f.evidence()).extracting(e -> e.file() + ":" + e.line()).contains("warden.toml:3");
        });
    }

    @Test
    void unsafeOverTheBudgetIsFlaggedWithPerCrateExceptions() {
        CodePolicy policy = new CodePolicy(Severity.HIGH, Severity.MEDIUM, null, true, 10, Map.of("libc", 1000));
        assertThat(run(policy)).containsExactly("unsafe-over-budget:ring");
        policy = new CodePolicy(Severity.HIGH, Severity.MEDIUM, null, true, null, Map.of("itoa", 2));
        assertThat(run(policy)).containsExactly("unsafe-over-budget:itoa");
    }
}
