package dev.warden.cli;

import dev.warden.core.store.RunTags;
import dev.warden.expose.Actor;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers on one SQLite store, as on a CI runner: four gates, and two builds writing events, all at once.
 * None may fail with SQLITE_BUSY, and no decision or event may be lost.
 */
class StoreConcurrencyTest {

    private static final Actor SCRIPT = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build",
            List.of());

    @TempDir
    Path dir;

    @Test
    void fourGatesAndTwoBuildsAtOnceLoseNothing() throws Exception {
        Path store = dir.resolve("store.db");
        Map<String, String> env = Map.of("WARDEN_STORE", store.toString());
        List<String> projects = List.of("a", "b", "c", "d");
        for (String project : projects) {
            Path app = AttackProject.write(dir.resolve(project), d -> AttackCrates.urlParse(d,
                    AttackCrates.EXFILTRATING_BUILD_SCRIPT));
            write(app, "before.lock", AttackProject.lockfile(false));
            write(app, "Cargo.lock", AttackProject.lockfile(true));
        }
        int rounds = 3;
        List<CompletableFuture<List<Run>>> gates = new ArrayList<>();
        for (String project : projects) {
            gates.add(CompletableFuture.supplyAsync(() -> {
                List<Run> runs = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    runs.add(Run.in(dir, env, "gate", project + "/app", "--base", project + "/app/before.lock"));
                }
                return runs;
            }));
        }
        List<CompletableFuture<Long>> builds = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            String project = "/build-" + b;
            builds.add(CompletableFuture.supplyAsync(() -> {
                try (EventStore events = EventStore.open(store)) {
                    long id = events.startBuild(new EventStore.BuildStart(project, "cargo build", "bubblewrap",
                            TestEnv.NOW, new RunTags(null, "this-host", null)));
                    events.flushEvery(Duration.ofMillis(20), Clock.systemUTC());
                    for (int i = 0; i < 3_000; i++) {
                        events.add(id, new BuildEvent(i, BuildEvent.Kind.EXEC, 7, SCRIPT, "/bin/true", "true", null));
                        if (i % 1_000 == 999) {
                            events.alert(id, new dev.warden.core.Finding(dev.warden.expose.ExposeRules.EGRESS,
                                    "url-parse", null, "tried", List.of()), i, 1);
                        }
                    }
                    events.learn(project, id, "exec", java.util.Set.of("/bin/true"));
                    events.finishBuild(id, TestEnv.NOW.plusSeconds(1), 0, true);
                    return id;
                }
            }));
        }
        for (CompletableFuture<List<Run>> gate : gates) {
            for (Run run : gate.get(5, TimeUnit.MINUTES)) {
                assertThat(run.status()).as(run.err()).isEqualTo(Main.EXIT_FINDINGS);
                assertThat(run.err()).doesNotContain("SQLITE_BUSY", "locked");
            }
        }
        List<Long> ids = new ArrayList<>();
        for (CompletableFuture<Long> build : builds) {
            ids.add(build.get(5, TimeUnit.MINUTES));
        }
        try (DecisionLog log = DecisionLog.open(store, null); EventStore events = EventStore.open(store)) {
            assertThat(log.runs()).hasSize(projects.size() * rounds);
            for (long id : ids) {
                assertThat(events.events(id, null, null, 10_000)).hasSize(3_000)
                        .extracting(EventStore.Row::micros).doesNotHaveDuplicates();
                assertThat(events.alerts(id)).hasSize(3);
            }
            assertThat(events.builds()).extracting(EventStore.BuildRow::status)
                    .containsOnly(EventStore.Status.FINISHED);
        }
    }

    /**
     * Issue 20's fault test for the gate: {@code warden gate} killed with SIGKILL at random moments, 20 times. The
     * store opens every time, a decision is there whole or not at all, and incident response reads it afterwards.
     */
    @Test
    void aGateKilledAtRandomMomentsNeverLeavesHalfADecision() throws Exception {
        Path app = AttackProject.write(dir.resolve("p"), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Path store = dir.resolve("store.db");
        String jvm = ProcessHandle.current().info().command().orElse("java");
        java.util.Random random = new java.util.Random(20);
        int finished = 0;
        for (int kill = 0; kill < 20; kill++) {
            ProcessBuilder builder = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "gate", "p/app", "--base", "p/app/before.lock", "--store",
                    store.toString(), "--offline").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gate-" + kill + ".log").toFile());
            builder.environment().put("HOME", dir.resolve("home").toString());
            Process gate = builder.start();
            if (gate.waitFor(200 + random.nextInt(2_500), TimeUnit.MILLISECONDS)) {
                finished++;
            } else {
                gate.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                 java.sql.Statement sql = db.createStatement();
                 java.sql.ResultSet halves = sql.executeQuery("SELECT count(*) FROM gate_runs r WHERE NOT EXISTS "
                         + "(SELECT 1 FROM gate_run_packages p WHERE p.run = r.id) OR NOT EXISTS (SELECT 1 FROM "
                         + "gate_findings f WHERE f.run = r.id)")) {
                if (halves.next()) {
                    assertThat(halves.getInt(1)).as("decisions without their packages or findings").isZero();
                }
            } catch (java.sql.SQLException e) {
                assertThat(e.getMessage()).as("no store yet: killed before it was created")
                        .contains("no such table");
            }
        }
        Run last = Run.in(dir, Map.of(), "gate", "p/app", "--base", "p/app/before.lock", "--store", store.toString());
        assertThat(last.status()).as(last.err()).isEqualTo(Main.EXIT_FINDINGS);
        try (DecisionLog log = DecisionLog.open(store, null)) {
            assertThat(log.runs()).hasSizeGreaterThanOrEqualTo(finished + 1);
        }
        Run ir = Run.in(dir, Map.of(), "ir", "url-parse", "p/app", "--store", store.toString());
        assertThat(ir.status()).as(ir.err()).isZero();
        assertThat(ir.out()).contains("gate run");
    }
}
