package dev.warden.cargo.change;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;

import java.util.Locale;
import java.util.Objects;

/**
 * How one crate differs between two lockfiles: {@code before} is null for an added crate, {@code after} null for a
 * removed one. A single change can combine a version change with a source change.
 */
public record PackageChange(String name, LockedPackage before, LockedPackage after) {

    /** The headline of a change, most significant first. */
    public enum Kind {
        ADDED, REMOVED, UPGRADED, DOWNGRADED, SOURCE_CHANGED, GIT_COMMIT_CHANGED, CHECKSUM_CHANGED, UNCHANGED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public PackageChange {
        Objects.requireNonNull(name, "name");
        if (before == null && after == null) {
            throw new IllegalArgumentException("a change needs at least one side");
        }
    }

    public Kind kind() {
        if (before == null) {
            return Kind.ADDED;
        }
        if (after == null) {
            return Kind.REMOVED;
        }
        int order = after.version().compareTo(before.version());
        if (order != 0) {
            return order > 0 ? Kind.UPGRADED : Kind.DOWNGRADED;
        }
        if (sourceChanged()) {
            return Kind.SOURCE_CHANGED;
        }
        if (gitCommitChanged()) {
            return Kind.GIT_COMMIT_CHANGED;
        }
        return checksumChanged() ? Kind.CHECKSUM_CHANGED : Kind.UNCHANGED;
    }

    /**
     * Whether a paired entry differs in anything that matters: version, origin, git commit or checksum. Moving
     * between crates.io's git and sparse index does not.
     */
    public boolean changesAnything() {
        return before == null || after == null || !before.version().equals(after.version()) || sourceChanged()
                || gitCommitChanged() || checksumChanged();
    }

    /** Whether the crate now comes from somewhere else (crates.io's git and sparse index count as one source). */
    public boolean sourceChanged() {
        return before != null && after != null && !SourceId.sameOrigin(before.source(), after.source());
    }

    /** Whether the same version from the same source now has another checksum: the published bytes differ. */
    public boolean checksumChanged() {
        return before != null && after != null && before.version().equals(after.version()) && !sourceChanged()
                && before.checksum() != null && after.checksum() != null
                && !before.checksum().equalsIgnoreCase(after.checksum());
    }

    /** A git dependency that now points at another commit (with or without a version change). */
    public boolean gitCommitChanged() {
        return before != null && after != null && before.source() != null && after.source() != null
                && before.source().isGit() && after.source().isGit() && !sourceChanged()
                && !Objects.equals(before.source().precise(), after.source().precise());
    }

    /**
     * A release that promises only fixes: same major and minor (for 0.x, same minor, which Cargo treats as the
     * compatibility boundary; for 0.0.x every release is breaking).
     */
    public boolean patchRelease() {
        if (before == null || after == null || kind() != Kind.UPGRADED) {
            return false;
        }
        var old = before.version();
        var now = after.version();
        return old.major() == now.major() && old.minor() == now.minor() && !(old.major() == 0 && old.minor() == 0);
    }

    /** {@code 2.1.0 → 2.1.1}, {@code 0.1.0 (new)}, {@code 1.0.0 (removed)}. */
    public String versions() {
        if (before == null) {
            return after.version() + " (new)";
        }
        if (after == null) {
            return before.version() + " (removed)";
        }
        return before.version().equals(after.version()) ? after.version().toString()
                : before.version() + " → " + after.version();
    }
}
