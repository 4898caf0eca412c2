package dev.warden.cargo.lock;

import dev.warden.cargo.semver.Version;

import java.util.List;

/**
 * One {@code [[package]]} entry of a lockfile with its dependencies resolved to package ids.
 *
 * @param checksum     SHA-256 of the {@code .crate} file for registry packages (inline or from v1 {@code [metadata]}),
 *                     null when Cargo recorded none
 * @param replace      the package this one is replaced by ({@code [replace]} in v1 lockfiles), or null
 * @param line         the 1-based line of the entry's {@code [[package]]} header, for locations in reports
 */
public record LockedPackage(PackageId id, String checksum, List<PackageId> dependencies, PackageId replace, int line) {

    public LockedPackage {
        dependencies = List.copyOf(dependencies);
    }

    public String name() {
        return id.name();
    }

    public Version version() {
        return id.version();
    }

    public SourceId source() {
        return id.source();
    }
}
