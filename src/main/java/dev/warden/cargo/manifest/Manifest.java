package dev.warden.cargo.manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed {@code Cargo.toml}. {@code pkg} is null for a virtual workspace manifest, {@code workspace} is null
 * unless this manifest declares {@code [workspace]}. Dependencies that say {@code workspace = true} are returned
 * unresolved by the parser ({@link Dependency#fromWorkspace()}) and resolved by {@link ManifestParser#inherit}.
 */
public record Manifest(Path path, PackageInfo pkg, WorkspaceInfo workspace, String workspacePointer,
                       List<Dependency> dependencies, List<Override> overrides) {

    public Manifest {
        dependencies = List.copyOf(dependencies);
        overrides = List.copyOf(overrides);
    }

    public Path directory() {
        return path.toAbsolutePath().getParent();
    }

    public boolean isVirtual() {
        return pkg == null;
    }
}
