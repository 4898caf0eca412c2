package dev.warden.cli;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports written where the disk is full or the directory read-only, and a store on a read-only mount, on small
 * tmpfs mounts made for the test (root only, as CI runs): one clear line, exit 2, nothing half-written — neither a
 * cut report nor a temporary file — and a read-only store still readable.
 */
class DiskFaultsTest {

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    private Path mount(String name, String options) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path point = Files.createDirectories(dir.resolve(name));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", point.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                () -> "cannot mount a tmpfs here");
        mounts.add(point);
        return point;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path point : mounts) {
            new ProcessBuilder("umount", "-l", point.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskGivesOneLineAndNoCutReport() throws Exception {
        Path full = mount("full", "size=64k");
        Files.writeString(full.resolve("report.json"), "the previous report");
        fill(full);
        Run run = Run.in(Path.of("").toAbsolutePath(), "lock", "examples/ripgrep", "--format", "json", "--output",
                full.resolve("report.json").toString());
        assertThat(run.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(run.err().strip()).hasLineCount(1).contains("report.json: cannot write the report");
        assertThat(Files.readString(full.resolve("report.json"))).as("the old report stays whole")
                .isEqualTo("the previous report");
        try (var left = Files.list(full)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("filler", "report.json");
        }
    }

    /** {@code db update} on a full disk: the clone or the index cannot be written; the previous index stays. */
    @Test
    void anAdvisoryUpdateOnAFullDiskKeepsThePreviousDatabase() throws Exception {
        Path cache = mount("cache", "size=2m");
        Path upstream = dir.resolve("upstream");
        try (Git git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("main").call()) {
            advisory(git, upstream, "RUSTSEC-2026-9001");
            Map<String, String> env = Map.of("WARDEN_CACHE_DIR", cache.toString());
            Run first = Run.in(dir, env, "db", "update", "--url", upstream.toUri().toString());
            assertThat(first.status()).as(first.err()).isZero();
            fill(cache);
            for (int i = 2; i < 40; i++) { // enough new data that the fetch or the index cannot fit
                advisory(git, upstream, "RUSTSEC-2026-90" + String.format("%02d", i));
            }
            Run full = Run.in(dir, env, "db", "update", "--url", upstream.toUri().toString());
            assertThat(full.status()).isEqualTo(Main.EXIT_ERROR);
            assertThat(full.err().strip()).hasLineCount(1).startsWith("warden: ");
            Run info = Run.in(dir, env, "db", "info");
            assertThat(info.status()).as(info.err()).isZero();
            assertThat(info.out()).as("the previous database, whole").contains("crates with advisories: 1");
            try (Stream<Path> files = Files.walk(cache)) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                        .filter(f -> !f.toString().contains("/.git/"))).as("temporary files left").isEmpty();
            }
        }
    }

    private static void advisory(Git git, Path upstream, String id) throws Exception {
        Path file = upstream.resolve("crates/crate-" + id + "/" + id + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "```toml\n[advisory]\nid = \"" + id + "\"\npackage = \"crate-" + id + "\"\n"
                + "date = \"2026-11-20\"\n[versions]\npatched = [\">= 2.0.0\"]\n```\n# A bug\n\n"
                + "x".repeat(60_000) + "\n");
        git.add().addFilepattern(".").call();
        git.commit().setMessage(id).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
    }

    private static void fill(Path mount) {
        try (OutputStream fill = Files.newOutputStream(mount.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                fill.write(block);
                fill.flush();
            }
        } catch (IOException diskFull) {
            // the disk is full now
        }
    }

    @Test
    void aReadOnlyDirectoryGivesOneLine() throws Exception {
        Path readOnly = mount("ro", "ro,size=64k");
        Run run = Run.in(Path.of("").toAbsolutePath(), "lock", "examples/ripgrep", "--output",
                readOnly.resolve("report.txt").toString());
        assertThat(run.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(run.err().strip()).hasLineCount(1).contains("report.txt: cannot write the report");
    }

    @Test
    void aStoreOnAReadOnlyMountCanStillBeRead() throws Exception {
        Path mount = mount("store", "size=8m");
        Path app = dev.warden.testing.AttackProject.write(dir.resolve("p"), d -> dev.warden.testing.AttackCrates
                .urlParse(d, dev.warden.testing.AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        dev.warden.testing.Fixtures.write(app, "before.lock", dev.warden.testing.AttackProject.lockfile(false));
        dev.warden.testing.Fixtures.write(app, "Cargo.lock", dev.warden.testing.AttackProject.lockfile(true));
        String store = mount.resolve("store.db").toString();
        Run gate = Run.in(dir, "gate", "p/app", "--base", "p/app/before.lock", "--store", store);
        assertThat(gate.status()).as(gate.err()).isEqualTo(Main.EXIT_FINDINGS);
        Process remount = new ProcessBuilder("mount", "-o", "remount,ro", mount.toString()).start();
        assertThat(remount.waitFor(30, TimeUnit.SECONDS) && remount.exitValue() == 0).isTrue();

        Run ir = Run.in(dir, "ir", "url-parse", "p/app", "--store", store);
        assertThat(ir.status()).as(ir.err()).isZero();
        assertThat(ir.out()).contains("resolved by 1 gate run");
        Run events = Run.in(dir, "events", "p/app", "--store", store);
        assertThat(events.status()).as(events.err()).isZero();
        Run write = Run.in(dir, "gate", "p/app", "--base", "p/app/before.lock", "--store", store);
        assertThat(write.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(write.err().strip()).hasLineCount(1).contains("read-only");
    }
}
