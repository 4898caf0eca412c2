package dev.warden.testing;

import dev.warden.core.Environment;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Environments for tests: a fixed clock, chosen variables, and a home directory the test owns. */
public final class TestEnv {

    public static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private TestEnv() {
    }

    /**
     * Cargo's offline switch is on unless a test turns it off ({@code CARGO_NET_OFFLINE=false}, for registries it
     * serves on loopback): a test that forgets {@code --offline} must not send a crate download, or even a DNS
     * lookup, off this machine.
     */
    public static Environment at(Path workingDirectory, Path home, Map<String, String> variables) {
        return at(workingDirectory, home, variables, NOW);
    }

    /** The same, on another day: for tests that build up a history. */
    public static Environment at(Path workingDirectory, Path home, Map<String, String> variables, Instant now) {
        Map<String, String> withOffline = new HashMap<>(variables);
        withOffline.putIfAbsent("CARGO_NET_OFFLINE", "true");
        return new Environment(Clock.fixed(now, ZoneOffset.UTC), withOffline, workingDirectory, home);
    }

    /** Working directory {@code dir}, home {@code dir/home} (so the real ~/.cargo is never read). */
    public static Environment in(Path dir) {
        return at(dir, dir.resolve("home"), Map.of());
    }
}
