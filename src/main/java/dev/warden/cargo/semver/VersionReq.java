package dev.warden.cargo.semver;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Cargo version requirement: a comma-separated list of comparators that must all match, where a bare version
 * means caret ({@code 1.2} is {@code ^1.2}) and {@code *} matches every release. A pre-release version only
 * matches when some comparator names the same {@code major.minor.patch} with a pre-release of its own, so
 * {@code >=1.0.0-alpha} admits {@code 1.0.0-beta} but not {@code 1.1.0-beta}.
 */
public final class VersionReq {

    /** {@code *}: any release (pre-releases still excluded). */
    public static final VersionReq STAR = new VersionReq(List.of());

    private final List<Comparator> comparators;

    public VersionReq(List<Comparator> comparators) {
        this.comparators = List.copyOf(comparators);
    }

    public static VersionReq parse(String text) {
        return new SemverParser(text).versionReq();
    }

    /** The comparators, all of which must match; empty for {@code *}. */
    public List<Comparator> comparators() {
        return comparators;
    }

    public boolean matches(Version version) {
        for (Comparator comparator : comparators) {
            if (!comparator.matchesIgnoringPrereleaseRule(version)) {
                return false;
            }
        }
        if (!version.isPrerelease()) {
            return true;
        }
        for (Comparator comparator : comparators) {
            if (comparator.allowsPrereleaseOf(version)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionReq r && comparators.equals(r.comparators);
    }

    @Override
    public int hashCode() {
        return comparators.hashCode();
    }

    @Override
    public String toString() {
        return comparators.isEmpty() ? "*"
                : comparators.stream().map(Comparator::toString).collect(Collectors.joining(", "));
    }
}
