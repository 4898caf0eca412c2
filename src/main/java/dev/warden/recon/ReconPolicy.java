package dev.warden.recon;

import dev.warden.core.Severity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code [recon]} in {@code warden.toml}.
 *
 * @param failLevel        findings at or above this block
 * @param internalPrefixes name prefixes of the organisation's own crates ({@code acme-}), which must never come
 *                         from crates.io
 * @param allowed          names that look like squats but are known to be fine, each with a reason
 * @param minPublishAge    versions younger than this are flagged (Cargo's proposed {@code min-publish-age})
 * @param staleAfter       crates without a release for this long are flagged
 * @param popular          a popular-crates list replacing the built-in one, or null
 */
public record ReconPolicy(Severity failLevel, List<String> internalPrefixes, List<Allowed> allowed,
                          Duration minPublishAge, Duration staleAfter, Path popular) {

    /** A name not to report as a typosquat, and why. */
    public record Allowed(String name, String reason, String file, int line) {
    }

    public ReconPolicy {
        internalPrefixes = List.copyOf(internalPrefixes);
        allowed = List.copyOf(allowed);
    }

    /** The internal prefix {@code crate} starts with (Cargo treats - and _ alike), or null when it has none. */
    public String internalPrefix(String crate) {
        String normalized = crate.toLowerCase(Locale.ROOT).replace('-', '_');
        return internalPrefixes.stream()
                .filter(p -> normalized.startsWith(p.toLowerCase(Locale.ROOT).replace('-', '_')))
                .findFirst().orElse(null);
    }

    public static ReconPolicy defaults() {
        return new ReconPolicy(Severity.HIGH, List.of(), List.of(), Duration.ofDays(3), Duration.ofDays(730), null);
    }
}
