package dev.warden.exercise;

import dev.warden.cli.Main;
import dev.warden.core.Environment;
import dev.warden.core.store.StoreLocation;
import dev.warden.expose.EventStore;
import dev.warden.limit.SandboxProbe;
import dev.warden.metrics.MetricLog;
import dev.warden.testing.CargoTool;
import dev.warden.testing.KilledRuns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20's fault test for the drill: {@code warden drill} killed with SIGKILL at 20 random moments — during its
 * registries, its cargo runs, its sandboxed builds or the control build in the sinkhole's namespace. Each time
 * nothing it started keeps running, its stores open, and the next drill removes the killed one's workspace.
 */
class DrillKillTest {

    @TempDir
    Path dir;

    @Test
    void aDrillKilledAtRandomMomentsLeavesNothingRunningAndNothingBehind() throws Exception {
        Assumptions.assumeTrue(CargoTool.find().isPresent(), "cargo is not installed");
        SandboxProbe.Capabilities found = SandboxProbe.probe(Environment.system());
        Assumptions.assumeTrue(found.sandbox() != SandboxProbe.Kind.NONE && found.tracer() != null,
                "no sandbox here: " + found.problems());
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Path home = dir.resolve("home");
        Random random = new Random(20);
        // One whole drill first: how long one takes on this machine, now, bounds the moments to kill at.
        long started = System.nanoTime();
        Process whole = drill(jvm, home, "whole");
        assertThat(whole.waitFor(10, TimeUnit.MINUTES)).as("a whole drill ends").isTrue();
        long wholeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<Long> killed = new ArrayList<>();
        int seen = 0;
        for (int run = 0; killed.size() < 20 && run < 30; run++) {
            Process drill = drill(jvm, home, Integer.toString(run));
            if (!drill.waitFor(300 + random.nextInt((int) Math.max(1_000, wholeMillis * 8 / 10)),
                    TimeUnit.MILLISECONDS)) {
                drill.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                killed.add(drill.pid());
            }
            String workspace = workspaces(drill.pid()).stream().map(Path::toString).findFirst().orElse(null);
            if (workspace != null) {
                seen++;
                assertThat(KilledRuns.processesUnder(workspace)).as("still running after the kill").isEmpty();
                // this drill got as far as its workspace, so it removed those of the drills killed before it
                for (long pid : killed.subList(0, Math.max(0, killed.size() - 1))) {
                    assertThat(workspaces(pid)).as("the workspace of a drill killed before").isEmpty();
                }
            }
        }
        for (long pid : killed) { // the last one waits for a next drill that this test does not run
            workspaces(pid).forEach(dev.warden.core.Directories::deleteQuietly);
        }
        assertThat(killed).as("drills killed mid-way (a whole one took " + wholeMillis + " ms)").hasSize(20);
        assertThat(seen).as("kills after the drill had made its workspace").isGreaterThanOrEqualTo(10);
        Path history = Drill.historyStore(new Environment(java.time.Clock.systemUTC(), java.util.Map.of(), dir, home));
        if (Files.exists(history)) {
            try (MetricLog log = MetricLog.open(history, null);
                 EventStore events = EventStore.open(new StoreLocation.Sqlite(history), null)) {
                assertThat(log.figures(dev.warden.metrics.SupplyChainReport.DRILLS, null)).isNotNull();
                assertThat(events.builds()).isNotNull();
            }
        }
    }

    private Process drill(String jvm, Path home, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "drill").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("drill-" + name + ".log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().putIfAbsent("RUSTUP_HOME", Path.of(System.getProperty("user.home"), ".rustup")
                .toString());
        return builder.start();
    }

    private static List<Path> workspaces(long pid) throws IOException {
        return KilledRuns.runDirectories("warden-drill-", pid);
    }
}
