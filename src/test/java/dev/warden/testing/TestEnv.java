package dev.warden.testing;

import dev.warden.core.Environment;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Environments for tests: a fixed clock, chosen variables, and a home directory the test owns. */
public final class TestEnv {

    public static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private TestEnv() {
    }

    public static Environment at(Path workingDirectory, Path home, Map<String, String> variables) {
        return new Environment(Clock.fixed(NOW, ZoneOffset.UTC), variables, workingDirectory, home);
    }

    /** Working directory {@code dir}, home {@code dir/home} (so the real ~/.cargo is never read). */
    public static Environment in(Path dir) {
        return at(dir, dir.resolve("home"), Map.of());
    }
}
