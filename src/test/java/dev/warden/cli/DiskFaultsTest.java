package dev.warden.cli;

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
import java.util.concurrent.TimeUnit;

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
        try (OutputStream fill = Files.newOutputStream(full.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                fill.write(block);
                fill.flush();
            }
        } catch (IOException diskFull) {
            // the disk is full now
        }
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
