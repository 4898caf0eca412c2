package dev.warden.cargo.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Cargo.toml}. {@code pkg} is null for a virtual workspace manifest, {@code workspace} is null
 * unless this manifest declares {@code [workspace]}. Dependencies that say {@code workspace = true} are returned
 * unresolved by the parser ({@link Dependency#fromWorkspace()}) and resolved by {@link ManifestParser#inherit}.
 */
public record Manifest(Path path, PackageInfo pkg, WorkspaceInfo workspace, String workspacePointer,
                       List<Dependency> dependencies, List<Override> overrides, Map<String, List<String>> features) {

    public Manifest {
        dependencies = List.copyOf(dependencies);
        overrides = List.copyOf(overrides);
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** The package's build script on disk: {@code build = "…"}, else {@code build.rs} when present, as Cargo does. */
    public Optional<Path> buildScript() {
        if (pkg == null || pkg.buildDisabled()) {
            return Optional.empty();
        }
        Path script = directory().resolve(pkg.build() == null ? "build.rs" : pkg.build());
        return Files.isRegularFile(script) ? Optional.of(script) : Optional.empty();
    }

    public Path directory() {
        return path.toAbsolutePath().getParent();
    }

    public boolean isVirtual() {
        return pkg == null;
    }
}
