package dev.warden;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution {@code mvn package} builds, used the way a CI job uses it: unpacked somewhere else, run with
 * nothing but bash on the PATH — no Maven, no JDK, no source tree — on a project outside the repository.
 */
class DistributionIT {

    @TempDir
    Path dir;

    private record Result(int status, String out) {
    }

    private Result run(Path warden, Path workDir, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("only-bash"));
        if (!Files.exists(bin.resolve("bash"))) {
            Files.createSymbolicLink(bin.resolve("bash"), Path.of("/bin/bash"));
        }
        ProcessBuilder process = new ProcessBuilder(Stream.concat(Stream.of(warden.toString()), Stream.of(args))
                .toList()).directory(workDir.toFile()).redirectErrorStream(true);
        process.environment().clear();
        process.environment().putAll(Map.of("PATH", bin.toString(), "HOME", dir.resolve("home").toString()));
        Process started = process.start();
        String out = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(started.waitFor(), out);
    }

    @Test
    void theUnpackedDistributionGatesAProjectWithoutMavenOrTheRepository() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("warden-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("mvn package wrote no target/warden-*.tar.gz"));
        }
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path home;
        try (Stream<Path> entries = Files.list(unpacked)) {
            home = entries.findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/warden")).isExecutable();
        assertThat(home.resolve("lib/warden.jar")).isRegularFile();
        assertThat(home.resolve("LICENSES.md")).isRegularFile();

        Path work = Files.createDirectories(dir.resolve("work"));
        copy(Path.of("examples/attack"), work.resolve("attack"));
        Path warden = home.resolve("bin/warden");
        Result gate = run(warden, work, "gate", "attack/app", "--base", "attack/app/before.lock", "--store", "d.db");
        assertThat(gate.status()).as(gate.out()).isEqualTo(1);
        assertThat(gate.out()).contains("decision: BLOCKED by diff", "exfiltration-pattern")
                .doesNotContain("building", "mvn");
        Result same = run(warden, work, "gate", "attack/app", "--base", "attack/app/Cargo.lock", "--store", "d.db");
        assertThat(same.status()).as(same.out()).isZero();
        if (Files.isDirectory(home.resolve("runtime"))) {
            assertThat(home.resolve("lib/aot/warden.aot")).as("the start-up cache trained for the bundled runtime")
                    .isRegularFile();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
