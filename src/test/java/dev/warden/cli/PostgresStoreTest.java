package dev.warden.cli;

import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreLocation;
import dev.warden.expose.Actor;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.PostgresServer;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The organisation-wide store on a real PostgreSQL server: many projects, hosts and writers, one schema. */
class PostgresStoreTest {

    private static final Actor SCRIPT = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build",
            List.of());

    @TempDir
    Path dir;

    private PostgresServer server;
    private String url;
    private Map<String, String> credentials;

    @BeforeEach
    void server() throws Exception {
        server = PostgresServer.start().orElse(null);
        Assumptions.assumeTrue(server != null, () -> "no PostgreSQL server: " + PostgresServer.failure());
        url = server.newDatabase();
        credentials = Map.of("PGPASSWORD", PostgresServer.PASSWORD, "GITHUB_REPOSITORY", "acme/shop",
                "GITHUB_RUN_ID", "4711", "WARDEN_HOST", "runner-1");
    }

    private Path attackUpdate(String project) {
        Path app = AttackProject.write(dir.resolve(project), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        return app;
    }

    private StoreLocation location() {
        return StoreLocation.parse(url, TestEnv.at(dir, dir.resolve("home"), credentials), true);
    }

    @Test
    void incidentResponseFindsTheGateOfOneProjectAndTheBuildOfAnother() {
        Path shop = attackUpdate("shop");
        Run gate = Run.in(dir, credentials, "gate", "shop/app", "--base", "shop/app/before.lock", "--store", url);
        assertThat(gate.status()).as(gate.err()).isEqualTo(Main.EXIT_FINDINGS);

        long build;
        try (EventStore events = EventStore.open(location(), null)) {
            build = events.startBuild(new EventStore.BuildStart("/ci/billing", "cargo build --locked", "bubblewrap",
                    TestEnv.NOW, new RunTags("acme/billing", "runner-2", "99")));
            events.add(build, new BuildEvent(1_000, BuildEvent.Kind.DNS, 7, SCRIPT, "QUtJQQ.malicious-domain.com",
                    "A", null));
            events.finishBuild(build, TestEnv.NOW.plusSeconds(30), 0, false);
        }

        Run ir = Run.in(dir, credentials, "ir", "url-parse@0.1.0", "--store", url);
        assertThat(ir.status()).as(ir.err()).isZero();
        assertThat(ir.out()).contains("resolved by 1 gate run", shop.toAbsolutePath().toString(),
                "[acme/shop on runner-1 CI run 4711]", "blocked", "ran in 1 monitored build",
                "/ci/billing [acme/billing on runner-2 CI run 99]", "QUtJQQ.malicious-domain.com");
        Run wrongPassword = Run.in(dir, Map.of("PGPASSWORD", "not-it"), "ir", "url-parse", "--store", url);
        assertThat(wrongPassword.status()).isEqualTo(2);
        assertThat(wrongPassword.err().strip()).startsWith("warden: postgresql://warden@127.0.0.1:")
                .contains("cannot open").doesNotContain("not-it").hasLineCount(1);
    }

    @Test
    void concurrentGatesAndABuildLoseAndDuplicateNothing() throws Exception {
        attackUpdate("a");
        attackUpdate("b");
        int gates = 3;
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (String project : List.of("a", "b")) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                Run last = null;
                for (int i = 0; i < gates; i++) {
                    last = Run.in(dir, credentials, "gate", project + "/app", "--base", project + "/app/before.lock",
                            "--store", url);
                }
                return last;
            }));
        }
        CompletableFuture<Long> building = CompletableFuture.supplyAsync(() -> {
            try (EventStore events = EventStore.open(location(), null)) {
                long id = events.startBuild(new EventStore.BuildStart("/c", "cargo build", "bubblewrap", TestEnv.NOW,
                        RunTags.UNKNOWN));
                events.flushEvery(java.time.Duration.ofMillis(50), java.time.Clock.systemUTC());
                for (int i = 0; i < 5_000; i++) {
                    events.add(id, new BuildEvent(i, BuildEvent.Kind.EXEC, 7, SCRIPT, "/bin/true", "true", null));
                }
                events.finishBuild(id, TestEnv.NOW.plusSeconds(5), 0, true);
                return id;
            }
        });
        for (CompletableFuture<Run> run : runs) {
            Run last = run.get(5, TimeUnit.MINUTES);
            assertThat(last.status()).as(last.err()).isEqualTo(Main.EXIT_FINDINGS);
        }
        long build = building.get(5, TimeUnit.MINUTES);
        try (DecisionLog log = DecisionLog.open(location(), null); EventStore events = EventStore.open(location(),
                null)) {
            assertThat(log.runs()).hasSize(2 * gates).extracting(DecisionLog.Run::id).doesNotHaveDuplicates();
            assertThat(events.events(build, null, null, 10_000)).hasSize(5_000)
                    .extracting(EventStore.Row::micros).doesNotHaveDuplicates();
            assertThat(events.builds()).singleElement().extracting(EventStore.BuildRow::status)
                    .isEqualTo(EventStore.Status.FINISHED);
        }
        try (Connection db = server.connect(url.substring(url.lastIndexOf('/') + 1));
             Statement select = db.createStatement();
             ResultSet row = select.executeQuery("SELECT count(*), count(DISTINCT run) FROM gate_run_packages")) {
            row.next();
            assertThat(row.getInt(1)).isEqualTo(row.getInt(2)).isEqualTo(2 * gates);
        }
    }

    @Test
    void storeMigrateCopiesALocalStoreOnceAndThenOnlyWhatIsNew() throws Exception {
        attackUpdate("other");
        Run shared = Run.in(dir, credentials, "gate", "other/app", "--base", "other/app/before.lock", "--store", url);
        assertThat(shared.status()).as(shared.err()).isEqualTo(Main.EXIT_FINDINGS);
        Path shop = attackUpdate("shop");
        Run local = Run.in(dir, credentials, "gate", "shop/app", "--base", "shop/app/before.lock");
        assertThat(local.status()).as(local.err()).isEqualTo(Main.EXIT_FINDINGS);

        Path file = Run.store(dir, shop);
        long running;
        try (EventStore events = EventStore.open(file)) {
            RunTags laptop = new RunTags("acme/shop", "laptop-7", null);
            long build = events.startBuild(new EventStore.BuildStart(shop.toString(), "cargo build", "bubblewrap",
                    TestEnv.NOW.minusSeconds(600), laptop));
            events.add(build, new BuildEvent(1_000, BuildEvent.Kind.EXEC, 7, SCRIPT, "/bin/sh", "sh", null));
            events.add(build, new BuildEvent(2_000, BuildEvent.Kind.DNS, 7, SCRIPT, "QUtJQQ.malicious-domain.com",
                    "A", null));
            events.alert(build, new dev.warden.core.Finding(dev.warden.expose.ExposeRules.EGRESS, "url-parse", null,
                    "tried to resolve", List.of()), 2_100, 100);
            events.recordEnvironment(build, Map.of("AWS_SECRET_ACCESS_KEY", EventStore.Exposure.REAL));
            events.learn(shop.toString(), build, "exec", java.util.Set.of("/bin/sh"));
            events.finishBuild(build, TestEnv.NOW.minusSeconds(500), 0, false);
            // this process writes it and its heartbeat is fresh: still running, not to be copied half-way
            running = events.startBuild(new EventStore.BuildStart(shop.toString(), "cargo test", "bubblewrap",
                    TestEnv.NOW, laptop));
            events.add(running, new BuildEvent(1, BuildEvent.Kind.EXEC, 8, SCRIPT, "/bin/true", "true", null));
        }

        Run first = Run.in(dir, credentials, "store", "migrate", "shop/app", "--store", url);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("1 builds (2 events, 1 alerts), 1 gate runs, 0 tabletop sessions");
        assertThat(first.err()).contains("build " + running + " is still being written");

        Run ir = Run.in(dir, credentials, "ir", "url-parse@0.1.0", "--store", url);
        assertThat(ir.status()).as(ir.err()).isZero();
        assertThat(ir.out()).contains("resolved by 2 gate runs", shop.toAbsolutePath().toString(),
                "[acme/shop on laptop-7]", "QUtJQQ.malicious-domain.com");
        try (EventStore events = EventStore.open(location(), null)) {
            EventStore.BuildRow copied = events.builds().getFirst();
            long dns = events.events(copied.id(), null, "dns", 10).getFirst().id();
            assertThat(events.alerts(copied.id())).singleElement().extracting(EventStore.AlertRow::event)
                    .as("the alert points at the copied event").isEqualTo(dns);
            assertThat(events.environment(copied.id())).containsEntry("AWS_SECRET_ACCESS_KEY",
                    EventStore.Exposure.REAL);
            assertThat(events.baseline(shop.toString(), "exec")).contains("/bin/sh");
        }

        Run again = Run.in(dir, credentials, "store", "migrate", "shop/app", "--store", url);
        assertThat(again.out()).contains("nothing new since the last copy");

        try (EventStore events = EventStore.open(file)) {
            events.finishBuild(running, TestEnv.NOW.plusSeconds(60), 0, true);
        }
        Run third = Run.in(dir, credentials, "store", "migrate", "shop/app", "--store", url);
        assertThat(third.out()).as(third.err()).contains("1 builds (1 events, 0 alerts), 0 gate runs");
        assertThat(third.err()).isEmpty();

        try (Connection db = server.connect(url.substring(url.lastIndexOf('/') + 1));
             Statement select = db.createStatement()) {
            try (ResultSet row = select.executeQuery("SELECT count(*), count(DISTINCT micros) FROM events")) {
                row.next();
                assertThat(row.getInt(1)).isEqualTo(row.getInt(2)).isEqualTo(3);
            }
            long shopRun;
            try (ResultSet row = select.executeQuery("SELECT id FROM gate_runs WHERE project = '"
                    + shop.toAbsolutePath() + "'")) {
                assertThat(row.next()).isTrue();
                shopRun = row.getLong(1);
                assertThat(row.next()).as("one copy of the local gate run").isFalse();
            }
            assertThat(shopRun).as("renumbered after the shared store's own run").isGreaterThan(1);
            try (ResultSet row = select.executeQuery("SELECT DISTINCT source FROM metrics WHERE project = '"
                    + shop.toAbsolutePath() + "' AND source LIKE 'gate#%'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).as("the metric names the copied run").isEqualTo("gate#" + shopRun);
            }
            try (ResultSet row = select.executeQuery("SELECT count(*) FROM gate_findings f JOIN gate_runs r "
                    + "ON r.id = f.run WHERE r.id = " + shopRun)) {
                row.next();
                assertThat(row.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void aWriterKilledMidBuildKeepsItsFlushedEventsAndIsMarkedInterrupted() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreWriter.class.getName(), url)
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.log").toFile()).start();
        writer.getOutputStream().write((PostgresServer.PASSWORD + "\n").getBytes());
        writer.getOutputStream().flush();
        // Wait until the writer has flushed events at least once, then kill it without warning.
        long flushed = 0;
        for (int i = 0; i < 600 && flushed < 200; i++) {
            Thread.sleep(100);
            try (EventStore events = EventStore.open(location(), null)) {
                flushed = events.builds().isEmpty() ? 0
                        : events.events(events.builds().getFirst().id(), null, null, 100_000).size();
            }
        }
        writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(flushed).as("the writer flushed events while running").isGreaterThanOrEqualTo(200);
        try (EventStore events = EventStore.open(location(), null)) {
            EventStore.BuildRow killed = events.builds().getFirst();
            assertThat(killed.status()).isEqualTo(EventStore.Status.RUNNING);
            List<EventStore.Row> kept = events.events(killed.id(), null, null, 100_000);
            assertThat(kept).hasSizeGreaterThanOrEqualTo((int) flushed);
            // Whole batches only: ids and times follow each other without a gap.
            assertThat(kept.getLast().micros()).isEqualTo(kept.size() - 1);

            long next = events.startBuild(new EventStore.BuildStart("/c", "cargo build", "bubblewrap",
                    Instant.now(), new RunTags(null, StoreWriter.HOST, null)));
            assertThat(events.builds()).filteredOn(b -> b.id() == killed.id()).singleElement()
                    .extracting(EventStore.BuildRow::status).isEqualTo(EventStore.Status.INTERRUPTED);
            events.finishBuild(next, Instant.now(), 0, true);
        }
    }

    /** A build's event writer in its own process, to be killed: adds an event every millisecond, flushes each 200 ms. */
    public static final class StoreWriter {

        static final String HOST = "kill-test-host";

        public static void main(String[] args) throws Exception {
            String password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            StoreLocation location = StoreLocation.parse(args[0], new dev.warden.core.Environment(
                    java.time.Clock.systemUTC(), Map.of("PGPASSWORD", password), Path.of("."), Path.of(".")), true);
            try (EventStore events = EventStore.open(location, null)) {
                long build = events.startBuild(new EventStore.BuildStart("/killed", "cargo build", "bubblewrap",
                        Instant.now(), new RunTags(null, HOST, null)));
                events.flushEvery(java.time.Duration.ofMillis(200), java.time.Clock.systemUTC());
                for (long i = 0; ; i++) {
                    events.add(build, new BuildEvent(i, BuildEvent.Kind.EXEC, 7, SCRIPT, "/bin/true", "true", null));
                    Thread.sleep(1);
                }
            }
        }
    }
}
