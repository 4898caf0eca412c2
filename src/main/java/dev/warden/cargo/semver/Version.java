package dev.warden.cargo.semver;

/**
 * A semantic version as Cargo reads it: {@code major.minor.patch[-pre][+build]}, no leading zeros in numeric parts.
 * Ordering follows the Rust {@code semver} crate: precedence first, then build metadata as a tie-breaker so that
 * the order is total and consistent with {@link #equals}.
 */
public final class Version implements Comparable<Version> {

    private final long major;
    private final long minor;
    private final long patch;
    private final String pre;
    private final String build;

    public Version(long major, long minor, long patch, String pre, String build) {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.pre = pre;
        this.build = build;
    }

    public Version(long major, long minor, long patch) {
        this(major, minor, patch, "", "");
    }

    public static Version parse(String text) {
        return new SemverParser(text).version();
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    public long patch() {
        return patch;
    }

    /** The pre-release identifiers without the leading '-', empty when this is a release. */
    public String pre() {
        return pre;
    }

    /** The build metadata without the leading '+', empty when absent. */
    public String build() {
        return build;
    }

    public boolean isPrerelease() {
        return !pre.isEmpty();
    }

    /** Compares by semver precedence only (build metadata ignored). */
    public int comparePrecedence(Version other) {
        int order = Long.compare(major, other.major);
        if (order == 0) {
            order = Long.compare(minor, other.minor);
        }
        if (order == 0) {
            order = Long.compare(patch, other.patch);
        }
        return order != 0 ? order : Identifier.comparePrerelease(pre, other.pre);
    }

    @Override
    public int compareTo(Version other) {
        int order = comparePrecedence(other);
        return order != 0 ? order : Identifier.compareBuild(build, other.build);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && major == v.major && minor == v.minor && patch == v.patch
                && pre.equals(v.pre) && build.equals(v.build);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(major) * 961 + Long.hashCode(minor) * 31 + Long.hashCode(patch) + pre.hashCode() * 7
                + build.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!pre.isEmpty()) {
            s.append('-').append(pre);
        }
        if (!build.isEmpty()) {
            s.append('+').append(build);
        }
        return s.toString();
    }
}
