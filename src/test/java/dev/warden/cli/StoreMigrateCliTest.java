package dev.warden.cli;

import dev.warden.core.store.RunTags;
import dev.warden.expose.Actor;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.core.store.StoreLocation;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code warden store migrate} where no PostgreSQL is needed: into another SQLite file (where the driver hands out
 * keys one row at a time), and the refusals. The PostgreSQL target is in {@link PostgresStoreTest}.
 */
class StoreMigrateCliTest {

    private static final Actor SCRIPT = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build",
            List.of());

    @TempDir
    Path dir;

    private Path gatedProject(String name) {
        Path app = AttackProject.write(dir.resolve(name), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Run gate = Run.in(dir, "gate", name + "/app", "--base", name + "/app/before.lock");
        assertThat(gate.status()).as(gate.err()).isEqualTo(Main.EXIT_FINDINGS);
        return app;
    }

    @Test
    void everyProjectsStoreIsMergedIntoOneFileWithReferencesRenumbered() {
        Path a = gatedProject("a");
        Path b = gatedProject("b");
        long build;
        try (EventStore events = EventStore.open(Run.store(dir, b))) {
            build = events.startBuild(new EventStore.BuildStart(b.toString(), "cargo build", "bubblewrap",
                    TestEnv.NOW.minusSeconds(60), RunTags.UNKNOWN));
            for (int i = 0; i < 1_500; i++) {
                events.add(build, new BuildEvent(i, BuildEvent.Kind.EXEC, 7, SCRIPT, "/bin/true", "true", null));
            }
            events.add(build, new BuildEvent(9_999, BuildEvent.Kind.DNS, 7, SCRIPT, "x.evil.example", "A", null));
            events.alert(build, new dev.warden.core.Finding(dev.warden.expose.ExposeRules.EGRESS, "url-parse", null,
                    "tried to resolve", List.of()), 10_000, 1);
            events.finishBuild(build, TestEnv.NOW, 0, false);
        }

        Run migrate = Run.in(dir, "store", "migrate", "--all", "--store", "merged.db");
        assertThat(migrate.status()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("into " + dir.resolve("merged.db"),
                "0 builds (0 events, 0 alerts), 1 gate runs", "1 builds (1,501 events, 1 alerts), 1 gate runs");

        StoreLocation merged = new StoreLocation.Sqlite(dir.resolve("merged.db"));
        try (EventStore events = EventStore.existing(merged, null);
             DecisionLog log = DecisionLog.open(merged, null)) {
            assertThat(log.runs()).extracting(DecisionLog.Run::project)
                    .containsExactlyInAnyOrder(a.toAbsolutePath().toString(), b.toAbsolutePath().toString());
            EventStore.BuildRow copied = events.builds().getFirst();
            assertThat(events.events(copied.id(), null, null, 10_000)).hasSize(1_501);
            long dns = events.events(copied.id(), null, "dns", 1).getFirst().id();
            assertThat(events.alerts(copied.id())).singleElement().extracting(EventStore.AlertRow::event)
                    .isEqualTo(dns);
        }
        Run again = Run.in(dir, "store", "migrate", "--all", "--store", "merged.db");
        assertThat(again.out().lines().filter(line -> line.contains("nothing new since the last copy"))).hasSize(2);
    }

    @Test
    void withoutASharedStoreOrALocalOneItSaysWhatIsMissing() {
        Path a = gatedProject("a");
        Run nowhere = Run.in(dir, "store", "migrate", "a/app");
        assertThat(nowhere.status()).isEqualTo(2);
        assertThat(nowhere.err().strip()).hasLineCount(1).contains("no store to copy into", "--store postgresql://");

        Run all = Run.in(dir, "store", "migrate", "a/app", "--all");
        assertThat(all.status()).as("never merged into the project's own local store").isEqualTo(2);
        assertThat(all.err()).contains("no store to copy into");

        Run empty = Run.in(dir, "store", "migrate", "elsewhere", "--store", "merged.db");
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err().strip()).hasLineCount(1).contains("has no local store", "--from FILE");

        Run missing = Run.in(dir, "store", "migrate", "--from", "no.db", "--store", "merged.db");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip()).hasLineCount(1).endsWith("no.db: no store here");

        Run same = Run.in(dir, Map.of(), "store", "migrate", "--from", Run.store(dir, a).toString(), "--store",
                Run.store(dir, a).toString());
        assertThat(same.status()).isEqualTo(2);
        assertThat(same.err()).contains("no store to copy into");
    }
}
