package dev.warden.evaluate.audit;

import dev.warden.core.Severity;
import dev.warden.core.WardenException;

import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How {@code warden audit} judges what it finds.
 *
 * @param failLevel  vulnerabilities at or above this severity block (exit 1); default {@code low}
 * @param deny       kinds of warnings that block too (by default warnings never do)
 * @param ignores    advisories to leave out, each with a reason and an optional expiry
 * @param targetOs   when set, advisories limited to other operating systems are left out
 * @param targetArch when set, advisories limited to other architectures are left out
 * @param staleAfter advisory data older than this is reported
 */
public record AuditPolicy(Severity failLevel, Set<Warning> deny, List<Ignore> ignores, String targetOs,
                          String targetArch, Duration staleAfter) {

    /** Warning kinds that {@code --deny} can turn into blocking findings. */
    public enum Warning {
        UNMAINTAINED, UNSOUND, NOTICE, YANKED, STALE;

        /** What one {@code --deny KIND} names: a kind, or {@code warnings} for all of them. */
        public record Kinds(Set<Warning> kinds) {

            public Kinds {
                kinds = Set.copyOf(kinds);
            }

            public static Kinds parse(String text) {
                return new Kinds(Warning.parse(text));
            }
        }

        public static Set<Warning> parse(String text) {
            String word = text.trim().toLowerCase(Locale.ROOT);
            if (word.equals("warnings")) {
                return EnumSet.allOf(Warning.class);
            }
            for (Warning warning : values()) {
                if (warning.name().toLowerCase(Locale.ROOT).equals(word)) {
                    return EnumSet.of(warning);
                }
            }
            throw new WardenException("unknown warning kind '" + text
                    + "' (expected unmaintained, unsound, notice, yanked, stale or warnings)");
        }
    }

    /**
     * An advisory the team has decided to accept.
     *
     * @param file where it was declared (null for {@code --ignore} on the command line)
     */
    public record Ignore(String id, String reason, LocalDate expires, String file, int line) {

        public boolean expired(LocalDate today) {
            return expires != null && today.isAfter(expires);
        }
    }

    public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(90);

    public AuditPolicy {
        deny = deny.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(deny));
        ignores = List.copyOf(ignores);
    }

    public static AuditPolicy defaults() {
        return new AuditPolicy(Severity.LOW, Set.of(), List.of(), null, null, DEFAULT_STALE_AFTER);
    }
}
