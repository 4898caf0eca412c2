package dev.warden.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.CargoTool;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same hostile build as {@link HostileBuildTest}, with Warden itself run by an unprivileged user (nobody) — a
 * developer's laptop or a rootless CI runner. Needs root to switch users (CI runs as root); the toolchain and
 * Warden's classes are hard-linked where nobody can read them.
 */
class UnprivilegedBuildTest {

    private static final int NOBODY = 65534;
    private static final String REAL_SECRET = "wJalrXUtnFEMI-REAL-NOBODY-SECRET-K7MDENG";

    private Path root;

    @AfterEach
    void cleanUp() throws IOException {
        if (root != null) {
            try (var walk = Files.walk(root)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void asNobodyTheSandboxHoldsAndReportsTheSame() throws Exception {
        Path cargo = CargoTool.find().orElse(null);
        Assumptions.assumeTrue(cargo != null, "cargo is not installed");
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"),
                "switching to an unprivileged user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) missing");
        Assumptions.assumeTrue(run(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--ro-bind", "/",
                "/", "true"), null, List.of()).status() == 0, "user namespaces are not open to unprivileged users");
        String sysroot = run(List.of(cargo.getParent().resolve("rustc").toString(), "--print", "sysroot"), null,
                List.of()).output().strip();
        Assumptions.assumeTrue(Files.isExecutable(Path.of(sysroot, "bin/cargo")), "no cargo in " + sysroot);

        root = Files.createTempDirectory(Path.of("/var/tmp"), "warden-nobody-");
        Path tools = root.resolve("toolchain");
        Files.createDirectories(tools);
        for (String part : List.of("bin", "lib")) {
            link(Path.of(sysroot, part), tools.resolve(part));
        }
        Path lib = root.resolve("lib");
        Files.createDirectories(lib);
        List<String> classpath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.exists(source)) {
                Path copy = lib.resolve(n++ + "-" + source.getFileName());
                link(source, copy);
                classpath.add(copy.toString());
            }
        }
        Path home = root.resolve("home");
        Fixtures.write(home, ".aws/credentials", "[default]\naws_secret_access_key = " + REAL_SECRET + "\n");
        Path work = root.resolve("work");
        Path app = AttackProject.write(work, d -> AttackCrates.urlParse(d, HostileBuildTest.payload("/var/tmp/none.sock")));
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        Fixtures.write(app, ".env", "DATABASE_PASSWORD=" + REAL_SECRET + "\n");
        run(List.of("chown", "-R", NOBODY + ":" + NOBODY, root.toString()), null, List.of());
        run(List.of("chmod", "755", root.toString()), null, List.of());

        String java = Path.of(System.getProperty("java.home"), "bin/java").toString();
        List<String> env = List.of("HOME=" + home, "PATH=" + tools.resolve("bin") + ":/usr/bin:/bin",
                "CARGO_HOME=" + root.resolve("cargo-home"), "AWS_SECRET_ACCESS_KEY=" + REAL_SECRET, "LANG=C.UTF-8",
                "CARGO_NET_OFFLINE=true");
        Result build = run(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                java, "-cp", String.join(File.pathSeparator, classpath), Main.class.getName(), "build", "--format",
                "json", "--", "cargo", "build", "--locked", "--offline"), app, env);
        assertThat(build.status()).as(build.output()).isEqualTo(Main.EXIT_FINDINGS);
        String output = build.output();
        JsonNode report = new ObjectMapper().readTree(output.substring(output.indexOf("{\n")));
        assertThat(report.path("protection").asText()).startsWith("bubblewrap: unprivileged user namespace");
        List<String> ids = new ArrayList<>();
        report.path("findings").forEach(f -> ids.add(f.path("id").asText() + ":" + f.path("crate").asText()));
        assertThat(ids).contains("privileged-syscall:url-parse", "secret-file-access:url-parse",
                "persistence-attempt:url-parse", "dns-exfiltration:url-parse");
        assertThat(output).doesNotContain(REAL_SECRET);
        try (var walk = Files.walk(app.resolve("target"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(REAL_SECRET);
            }
        }
    }

    /** Hard links (same file system, instant), else a copy. */
    private static void link(Path source, Path target) throws Exception {
        if (run(List.of("cp", "-al", source.toString(), target.toString()), null, List.of()).status() != 0) {
            assertThat(run(List.of("cp", "-a", source.toString(), target.toString()), null, List.of()).status())
                    .isZero();
        }
    }

    record Result(int status, String output) {
    }

    private static Result run(List<String> command, Path dir, List<String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        if (!env.isEmpty()) {
            builder.environment().clear();
            for (String entry : env) {
                builder.environment().put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
            }
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
