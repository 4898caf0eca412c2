package dev.warden.evaluate.advisory;

import dev.warden.cargo.semver.Comparator;
import dev.warden.cargo.semver.Op;
import dev.warden.cargo.semver.Version;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.WardenException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns RustSec's {@code patched}/{@code unaffected} requirements into the OSV ranges of affected versions, the
 * way the {@code rustsec} crate does before it matches anything: one unaffected interval per requirement, checked
 * not to overlap, sorted, and the gaps between them affected. "Just above v" is {@code v} with patch+1 and
 * pre-release {@code 0} (or {@code .0} appended to an existing pre-release), the lowest version of greater
 * precedence.
 */
final class RustsecRanges {

    /** An interval end: {@code version == null} means unbounded. */
    private record Bound(Version version, boolean inclusive) {
        static final Bound UNBOUNDED = new Bound(null, false);
    }

    private record Interval(Bound start, Bound end, String source) {
    }

    private RustsecRanges() {
    }

    static AffectedVersions.Ranges affected(List<VersionReq> unaffectedReqs, List<VersionReq> patchedReqs) {
        List<Interval> unaffected = new ArrayList<>();
        for (VersionReq req : unaffectedReqs) {
            unaffected.add(interval(req));
        }
        for (VersionReq req : patchedReqs) {
            unaffected.add(interval(req));
        }
        if (unaffected.isEmpty()) {
            return new AffectedVersions.Ranges(List.of(range(null, null)), Set.of());
        }
        for (int i = 0; i < unaffected.size(); i++) {
            for (int j = i + 1; j < unaffected.size(); j++) {
                Interval a = unaffected.get(i);
                Interval b = unaffected.get(j);
                if (lessOrEqual(a.start(), b.end()) && lessOrEqual(b.start(), a.end())) {
                    throw new WardenException("overlapping version ranges: " + a.source() + " and " + b.source());
                }
            }
        }
        unaffected.sort((a, b) -> a.start().version() == null ? -1 : b.start().version() == null ? 1
                : a.start().version().compareTo(b.start().version()));

        List<AffectedVersions.Ranges.Range> affected = new ArrayList<>();
        Bound firstStart = unaffected.getFirst().start();
        if (firstStart.version() != null) {
            affected.add(range(null, firstStart.inclusive() ? firstStart.version() : next(firstStart.version())));
        }
        for (int i = 0; i + 1 < unaffected.size(); i++) {
            Bound end = unaffected.get(i).end();
            Bound start = unaffected.get(i + 1).start();
            affected.add(range(end.inclusive() ? next(end.version()) : end.version(),
                    start.inclusive() ? start.version() : next(start.version())));
        }
        Bound lastEnd = unaffected.getLast().end();
        if (lastEnd.version() != null) {
            affected.add(range(lastEnd.inclusive() ? next(lastEnd.version()) : lastEnd.version(), null));
        }
        return new AffectedVersions.Ranges(affected, Set.of());
    }

    private static AffectedVersions.Ranges.Range range(Version introduced, Version fixed) {
        List<AffectedVersions.Ranges.Event> events = new ArrayList<>();
        events.add(new AffectedVersions.Ranges.Event(AffectedVersions.Ranges.Event.Kind.INTRODUCED, introduced));
        if (fixed != null) {
            events.add(new AffectedVersions.Ranges.Event(AffectedVersions.Ranges.Event.Kind.FIXED, fixed));
        }
        return new AffectedVersions.Ranges.Range(events);
    }

    private static Interval interval(VersionReq req) {
        List<Comparator> comparators = req.comparators();
        if (comparators.size() > 2) {
            throw new WardenException("too many comparators in version requirement '" + req + "'");
        }
        Bound start = Bound.UNBOUNDED;
        Bound end = Bound.UNBOUNDED;
        for (Comparator c : comparators) {
            Version v = new Version(c.major(), c.minor() == null ? 0 : c.minor(), c.patch() == null ? 0 : c.patch(),
                    c.pre(), "");
            switch (c.op()) {
                case GREATER, GREATER_EQ -> {
                    if (start.version() != null) {
                        throw new WardenException("more than one lower bound in '" + req + "'");
                    }
                    start = new Bound(v, c.op() == Op.GREATER_EQ);
                }
                case LESS, LESS_EQ -> {
                    if (end.version() != null) {
                        throw new WardenException("more than one upper bound in '" + req + "'");
                    }
                    end = new Bound(v, c.op() == Op.LESS_EQ);
                }
                case EXACT -> {
                    alone(req, "an exact version");
                    start = new Bound(v, true);
                    end = new Bound(v, true);
                }
                case CARET -> {
                    alone(req, "both bounds");
                    Version upper;
                    if (v.major() > 0) {
                        upper = new Version(v.major() + 1, 0, 0, "0", "");
                    } else if (c.minor() == null) {
                        upper = new Version(1, 0, 0, "0", "");
                    } else if (c.minor() == 0 && c.patch() != null) {
                        upper = new Version(0, 0, c.patch() + 1, "0", "");
                    } else {
                        upper = new Version(0, c.minor() + 1, 0, "0", "");
                    }
                    start = new Bound(v, true);
                    end = new Bound(upper, false);
                }
                case TILDE -> {
                    alone(req, "both bounds");
                    Version upper = c.minor() == null ? new Version(c.major() + 1, 0, 0, "0", "")
                            : new Version(c.major(), c.minor() + 1, 0, "0", "");
                    start = new Bound(v, true);
                    end = new Bound(upper, false);
                }
                case WILDCARD -> throw new WardenException("unsupported wildcard in version requirement '" + req + "'");
            }
        }
        if (!lessOrEqual(start, end)) {
            throw new WardenException("empty version range '" + req + "'");
        }
        return new Interval(start, end, req.toString());
    }

    private static void alone(VersionReq req, String what) {
        if (req.comparators().size() != 1) {
            throw new WardenException("a requirement that defines " + what + " must be alone: '" + req + "'");
        }
    }

    /** {@code start <= end} for a start bound and an end bound, possibly of different intervals. */
    private static boolean lessOrEqual(Bound start, Bound end) {
        if (start.version() == null || end.version() == null) {
            return true;
        }
        int order = start.version().compareTo(end.version());
        return order < 0 || order == 0 && start.inclusive() && end.inclusive();
    }

    /** The lowest version of greater precedence. */
    static Version next(Version v) {
        return v.pre().isEmpty() ? new Version(v.major(), v.minor(), v.patch() + 1, "0", "")
                : new Version(v.major(), v.minor(), v.patch(), v.pre() + ".0", "");
    }
}
