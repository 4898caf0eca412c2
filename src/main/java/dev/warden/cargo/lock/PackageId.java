package dev.warden.cargo.lock;

import dev.warden.cargo.semver.Version;

import java.util.Objects;

/**
 * Identifies one package in a resolved graph: name, exact version and source (null for path and workspace
 * packages, which Cargo never writes a source for). Ordered as Cargo orders lockfile entries.
 */
public record PackageId(String name, Version version, SourceId source) implements Comparable<PackageId> {


    public PackageId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public boolean isPath() {
        return source == null;
    }

    /** {@code name version}, the form used in text output and in JSON dependency lists. */
    public String nameAndVersion() {
        return name + " " + version;
    }

    /** {@code name version (source)} as in a version-1 lockfile; path packages have no source part. */
    public String fullSpec() {
        return source == null ? nameAndVersion() : nameAndVersion() + " (" + source + ")";
    }

    /** Cargo's order: name, version, then source (path first, registries, git last; then by URL). */
    @Override
    public int compareTo(PackageId other) {
        int order = name.compareTo(other.name);
        if (order == 0) {
            order = version.compareTo(other.version);
        }
        if (order != 0 || source == other.source) {
            return order;
        }
        if (source == null || other.source == null) {
            return source == null ? -1 : 1;
        }
        order = Integer.compare(rank(source.kind()), rank(other.source.kind()));
        return order != 0 ? order : source.key().compareTo(other.source.key());
    }

    private static int rank(SourceKind kind) {
        return switch (kind) {
            case PATH -> 0;
            case REGISTRY -> 1;
            case SPARSE -> 2;
            case LOCAL_REGISTRY -> 3;
            case DIRECTORY -> 4;
            case GIT -> 5;
        };
    }

    @Override
    public String toString() {
        return fullSpec();
    }
}
