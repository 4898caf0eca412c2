package dev.warden.report;

import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.project.Project;

/** How packages are named in text output, close to {@code cargo tree}: {@code name vX.Y.Z (where it comes from)}. */
public final class Labels {

    private Labels() {
    }

    public static String of(PackageId id, Project project) {
        String base = id.name() + " v" + id.version();
        String origin = origin(id, project);
        return origin == null ? base : base + " (" + origin + ")";
    }

    /** Null for crates.io (the common case stays quiet), a relative path for local packages, else the source. */
    static String origin(PackageId id, Project project) {
        SourceId source = id.source();
        if (source == null) {
            return project.hasManifests() ? memberPath(id, project) : "path";
        }
        return source.isCratesIo() ? null : source.describe();
    }

    private static String memberPath(PackageId id, Project project) {
        return project.members().stream()
                .filter(m -> m.pkg().name().equals(id.name()))
                .map(m -> project.display(m.directory()))
                .map(p -> p.isEmpty() ? "." : p)
                .findFirst()
                .orElse("path");
    }
}
