package dev.warden.cargo.manifest;

import dev.warden.cargo.lock.GitReference;

import java.nio.file.Path;
import java.util.List;

/**
 * One dependency declaration from a manifest, after {@code workspace = true} inheritance has been applied.
 *
 * @param name          the key it is declared under (what the code calls it)
 * @param packageName   the crate's real name: {@code package = "…"} when renamed, else {@code name}
 * @param kind          normal, build or dev
 * @param target        the {@code [target.'…']} platform selector, or null
 * @param versionReq    the version requirement as written, or null (git/path dependencies may omit it)
 * @param registry      {@code registry = "…"}: a registry name from {@code .cargo/config.toml}, or null (crates.io)
 * @param git           the git URL, or null
 * @param gitReference  branch/tag/rev for git dependencies, else null
 * @param path          the dependency's directory, resolved against the declaring manifest, or null
 * @param fromWorkspace whether it was declared {@code workspace = true}
 * @param line          the manifest line of the declaration
 */
public record Dependency(String name, String packageName, DependencyKind kind, String target, String versionReq,
                         String registry, String git, GitReference gitReference, Path path, boolean optional,
                         boolean defaultFeatures, List<String> features, boolean fromWorkspace, int line) {

    public Dependency {
        features = List.copyOf(features);
    }

    public boolean isGit() {
        return git != null;
    }

    public boolean isPath() {
        return path != null;
    }

    public boolean isRenamed() {
        return !name.equals(packageName);
    }
}
