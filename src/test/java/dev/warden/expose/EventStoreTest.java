package dev.warden.expose;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoreTest {

    @TempDir
    Path dir;

    private static final Actor SCRIPT = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build", List.of());

    @Test
    void eventsAlertsAndBaselineSurviveReopening() {
        Path file = dir.resolve("target/warden/events.db");
        long build;
        try (EventStore store = EventStore.open(file)) {
            build = store.startBuild("/p", "cargo build", "bubblewrap", Instant.parse("2026-11-25T10:00:00Z"));
            for (int i = 0; i < 600; i++) {
                store.add(build, new BuildEvent(1_000 + i, BuildEvent.Kind.EXEC, 10, SCRIPT, "/bin/true", "true", null));
            }
            store.add(build, new BuildEvent(5_000, BuildEvent.Kind.DNS, 11, SCRIPT, "x.evil.example", "A",
                    null));
            store.alert(build, new Finding(ExposeRules.EGRESS, "url-parse", null, "tried to resolve",
                    List.of(Evidence.of("build event", 0))), 5_250, 250);
            store.finishBuild(build, Instant.parse("2026-11-25T10:01:00Z"), 0, false);
            store.learn("/p", build, "exec", Set.of("/bin/true", "/usr/bin/cc"));
        }
        try (EventStore store = EventStore.existing(new StoreLocation.Sqlite(file), dir.resolve("cache"))) {
            assertThat(store.events(build, null, null, 10_000)).hasSize(601);
            assertThat(store.events(null, "url-parse", "dns", 10)).singleElement().satisfies(row -> {
                assertThat(row.target()).isEqualTo("x.evil.example");
                assertThat(row.role()).isEqualTo("build script");
            });
            long dns = store.events(build, null, "dns", 10).getFirst().id();
            assertThat(store.alerts(build)).singleElement().satisfies(a -> {
                assertThat(a.rule()).isEqualTo("egress-attempt");
                assertThat(a.event()).as("the alert is about the event added just before it").isEqualTo(dns);
                assertThat(a.latencyMicros()).isEqualTo(250);
            });
            assertThat(store.builds()).singleElement().satisfies(b -> {
                assertThat(b.exitCode()).isZero();
                assertThat(b.clean()).isFalse();
                assertThat(b.sandbox()).isEqualTo("bubblewrap");
                assertThat(b.status()).isEqualTo(EventStore.Status.FINISHED);
            });
            assertThat(store.baseline("/p", "exec")).containsExactlyInAnyOrder("/bin/true", "/usr/bin/cc");
            assertThat(store.baseline("/p", "domain")).isEmpty();
        }
        assertThatThrownBy(() -> EventStore.existing(new StoreLocation.Sqlite(dir.resolve("nowhere.db")), null))
                .hasMessageContaining("no store here yet");
    }

    @Test
    void anAlertRefersToItsEventWhenTheBatchWasSentBeforeIt() {
        Path file = dir.resolve("events.db");
        try (EventStore store = EventStore.open(file)) {
            long build = store.startBuild("/p", "cargo build", "bubblewrap", Instant.parse("2026-11-25T10:00:00Z"));
            for (int i = 0; i < 499; i++) {
                store.add(build, new BuildEvent(1_000 + i, BuildEvent.Kind.EXEC, 10, SCRIPT, "/bin/true", "true",
                        null));
            }
            // the 500th event fills the batch, which goes out before the monitor raises its alert
            store.add(build, new BuildEvent(9_000, BuildEvent.Kind.DNS, 11, SCRIPT, "x.evil.example", "A", null));
            store.alert(build, new Finding(ExposeRules.EGRESS, "url-parse", null, "tried to resolve",
                    List.of(Evidence.of("build event", 0))), 9_100, 100);
            long dns = store.events(build, null, "dns", 10).getFirst().id();
            assertThat(store.alerts(build)).singleElement().extracting(EventStore.AlertRow::event).isEqualTo(dns);
        }
    }
}
