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
        List<Long> killed = new ArrayList<>();
        int seen = 0;
        for (int kill = 0; kill < 20; kill++) {
            ProcessBuilder builder = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "drill").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("drill-" + kill + ".log").toFile());
            builder.environment().put("HOME", home.toString());
            builder.environment().putIfAbsent("RUSTUP_HOME", Path.of(System.getProperty("user.home"), ".rustup")
                    .toString());
            Process drill = builder.start();
            if (!drill.waitFor(500 + random.nextInt(9_000), TimeUnit.MILLISECONDS)) {
                drill.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                killed.add(drill.pid());
            }
            String workspace = workspaces(drill.pid()).stream().map(Path::toString).findFirst().orElse(null);
            if (workspace != null) {
                seen++;
                assertThat(KilledRuns.processesUnder(workspace)).as("still running after the kill").isEmpty();
                // this drill got as far as its workspace, so it removed those of the drills killed before it
                for (long pid : killed.subList(0, killed.size() - 1)) {
                    assertThat(workspaces(pid)).as("the workspace of a drill killed before").isEmpty();
                }
            }
        }
        for (long pid : killed) { // the last one waits for a next drill that this test does not run
            workspaces(pid).forEach(dev.warden.core.Directories::deleteQuietly);
        }
        assertThat(killed).as("drills killed mid-way (a drill takes longer than the longest wait)").hasSize(20);
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

    private static List<Path> workspaces(long pid) throws IOException {
        return KilledRuns.runDirectories("warden-drill-", pid);
    }
}
