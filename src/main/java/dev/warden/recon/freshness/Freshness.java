package dev.warden.recon.freshness;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.semver.Version;

import java.time.Instant;

/**
 * How current one locked crate is, from its registry's index.
 *
 * @param latest           the newest release (pre-releases only when the locked version is one), never yanked
 * @param latestCompatible the newest release Cargo would take without a manifest change
 * @param libyears         years between the locked release and the newest one, when both dates are known
 * @param published        when the locked version was published ({@code pubtime}), or null
 * @param lastRelease      the newest publication date of any version, or null
 * @param versions         how many versions were published
 * @param yanked           how many of them are yanked
 */
public record Freshness(LockedPackage pkg, Version latest, Version latestCompatible, Double libyears,
                        Instant published, Instant lastRelease, int versions, int yanked) {

    /** Whether the locked version is the newest release. */
    public boolean current() {
        return latest == null || pkg.version().compareTo(latest) >= 0;
    }

    /** Whether a newer release lies outside the locked version's compatibility range (a manifest change is needed). */
    public boolean breakingBehind() {
        return !current() && (latestCompatible == null || latestCompatible.compareTo(latest) < 0);
    }

    /** libyear's version-number delta: major, minor and patch releases behind, counting only the largest part. */
    public int[] delta() {
        if (current()) {
            return new int[] {0, 0, 0};
        }
        Version v = pkg.version();
        if (latest.major() != v.major()) {
            return new int[] {(int) (latest.major() - v.major()), 0, 0};
        }
        if (latest.minor() != v.minor()) {
            return new int[] {0, (int) (latest.minor() - v.minor()), 0};
        }
        return new int[] {0, 0, (int) Math.max(0, latest.patch() - v.patch())};
    }

    /** This crate's share of the project score: 1 when current, ½ when `cargo update` would make it so, else 0. */
    double score() {
        return current() ? 1 : breakingBehind() ? 0 : 0.5;
    }
}
