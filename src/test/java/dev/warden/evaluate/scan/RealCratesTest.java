package dev.warden.evaluate.scan;

import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.TreeLimits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real, benign crates (Debian's librust-*-dev sources: libc, proc-macro2, serde, ring's cc build, openssl-sys, …)
 * must not raise a critical or high finding about their build scripts and proc macros.
 */
class RealCratesTest {

    static final Path REGISTRY = Path.of("/usr/share/cargo/registry");

    static List<Path> crates() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(REGISTRY.resolve("libc-0.2.139")),
                "Debian crate sources not installed (see ../shared/corpus/DEBIAN_CRATES.md)");
        try (Stream<Path> dirs = Files.list(REGISTRY)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("Cargo.toml"))).sorted().toList();
        }
    }

    @Test
    void noFalseAlarmsOnTheBundledBuildScripts() throws IOException {
        List<Path> bundled;
        try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/benign-crates"))) {
            bundled = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(bundled).hasSize(7);
        assertThat(alarms(bundled)).isEmpty();
    }

    @Test
    void noFalseAlarmsOnEveryInstalledDebianCrate() throws IOException {
        assertThat(alarms(crates())).isEmpty();
    }

    private static List<String> alarms(List<Path> crates) {
        List<String> alarms = new ArrayList<>();
        int buildScripts = 0;
        for (Path crate : crates) {
            CrateScan scan = CrateScanner.scan(CrateDirectory.read(crate, TreeLimits.DEFAULT), true, null);
            buildScripts += scan.hasBuildScript() ? 1 : 0;
            for (Finding finding : scan.findings()) {
                if (finding.severity().atLeast(Severity.HIGH)) {
                    alarms.add(crate.getFileName() + ": " + finding.id() + " " + finding.message());
                }
            }
        }
        assertThat(buildScripts).isGreaterThanOrEqualTo(Math.min(crates.size(), 6));
        return alarms;
    }
}
