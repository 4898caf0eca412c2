package dev.warden.cargo.project;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.manifest.Manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything Warden knows about one Rust project: its lockfile, its workspace manifests (when available) and the
 * Cargo configuration that applies to it.
 *
 * @param root         the workspace root directory (the lockfile's directory when there are no manifests)
 * @param lockfile     the parsed {@code Cargo.lock}
 * @param rootManifest the workspace root manifest, or null when only a lockfile was given or found
 * @param members      workspace member manifests with {@code workspace = true} resolved; empty without manifests
 * @param otherLocal   manifests of local packages that are not members: path dependencies outside the workspace and
 *                     {@code [patch]}/{@code [replace]} paths
 * @param config       merged {@code .cargo/config.toml} files
 * @param outOfDate    why the lockfile no longer matches the manifests (a member or a declaration it does not lock),
 *                     each of which makes {@code cargo build --locked} fail; empty when it matches
 */
public record Project(Path root, Lockfile lockfile, Manifest rootManifest, List<Manifest> members,
                      List<Manifest> otherLocal, CargoConfig config, List<String> outOfDate) {

    public Project {
        members = List.copyOf(members);
        otherLocal = List.copyOf(otherLocal);
        outOfDate = List.copyOf(outOfDate);
    }

    /** The same workspace locked differently, e.g. by the lockfile of another git revision. */
    public Project withLockfile(Lockfile other) {
        return new Project(root, other, rootManifest, members, otherLocal, config, List.of());
    }

    public boolean hasManifests() {
        return rootManifest != null;
    }

    /** A path shown to users: relative to the project root when inside it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
