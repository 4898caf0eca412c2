package dev.warden.evaluate.advisory;

import dev.warden.cargo.semver.Version;
import dev.warden.cargo.semver.VersionReq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Which versions of a crate an advisory covers, in the form its source states it. */
public sealed interface AffectedVersions {

    boolean affects(Version version);

    /** Whether every version is covered (nothing patched or unaffected): the crate itself is the problem. */
    boolean coversEveryVersion();

    /**
     * RustSec's form: {@code patched} and {@code unaffected} requirements. Interpreted exactly as the {@code rustsec}
     * crate (and so cargo-audit) does: each requirement becomes an interval of unaffected versions by semver
     * precedence ({@code ^1.2.3} is {@code [1.2.3, 2.0.0-0)}, so pre-releases of 2.0.0 are not patched), the
     * intervals must not overlap, and every version outside them is affected. Requirements rustsec cannot turn into
     * an interval (wildcards, more than one lower bound, overlaps) make the advisory invalid.
     */
    record Requirements(List<VersionReq> patched, List<VersionReq> unaffected, Ranges affected)
            implements AffectedVersions {

        public Requirements {
            patched = List.copyOf(patched);
            unaffected = List.copyOf(unaffected);
        }

        public Requirements(List<VersionReq> patched, List<VersionReq> unaffected) {
            this(patched, unaffected, RustsecRanges.affected(unaffected, patched));
        }

        @Override
        public boolean affects(Version version) {
            return affected.affects(version);
        }

        @Override
        public boolean coversEveryVersion() {
            return patched.isEmpty() && unaffected.isEmpty();
        }
    }

    /**
     * OSV's form: explicit versions plus SEMVER ranges of events, compared by semver precedence as the OSV schema
     * specifies ({@code introduced} inclusive, {@code fixed} exclusive, {@code last_affected} inclusive).
     */
    record Ranges(List<Range> ranges, Set<Version> versions) implements AffectedVersions {

        /** One OSV range as ordered events; {@code introduced == null} stands for OSV's "0" (the very beginning). */
        public record Event(Kind kind, Version version) {
            public enum Kind { INTRODUCED, FIXED, LAST_AFFECTED }
        }

        /** Events sorted by version (stable, "0" first), evaluated as in the OSV specification. */
        public record Range(List<Event> events) {

            public Range {
                List<Event> sorted = new ArrayList<>(events);
                sorted.sort(Comparator.comparing(Event::version,
                        Comparator.nullsFirst(Version::comparePrecedence)));
                events = List.copyOf(sorted);
            }

            boolean contains(Version version) {
                boolean affected = false;
                for (Event event : events) {
                    int order = event.version() == null ? -1 : event.version().comparePrecedence(version);
                    if (order > 0) {
                        break;
                    }
                    affected = switch (event.kind()) {
                        case INTRODUCED -> true;
                        case FIXED -> false;
                        case LAST_AFFECTED -> affected && order == 0;
                    };
                }
                return affected;
            }
        }

        public Ranges {
            ranges = List.copyOf(ranges);
            versions = Set.copyOf(versions);
        }

        @Override
        public boolean affects(Version version) {
            if (versions.contains(version)) {
                return true;
            }
            for (Range range : ranges) {
                if (range.contains(version)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean coversEveryVersion() {
            return ranges.stream().anyMatch(r -> r.events().size() == 1
                    && r.events().getFirst().kind() == Event.Kind.INTRODUCED && r.events().getFirst().version() == null);
        }
    }
}
