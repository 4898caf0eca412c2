package dev.warden.cargo.project;

import dev.warden.cargo.config.SourceDefinition;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.core.Environment;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the unpacked sources of locked registry packages on this machine, where Cargo would build them from:
 * {@code directory} sources configured in {@code .cargo/config.toml} (a {@code cargo vendor} tree or Debian's
 * {@code /usr/share/cargo/registry}, holding {@code name/} or {@code name-version/}) and Cargo's own extraction
 * cache {@code $CARGO_HOME/registry/src/<index>/name-version/}. Never touches the network.
 */
public final class LocalSources {

    private final List<Path> directories;
    private final List<String> warnings = new ArrayList<>();

    LocalSources(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** The search path for a project: its directory sources first (Cargo builds from them), then Cargo's cache. */
    public static LocalSources of(Project project, Environment env) {
        List<Path> dirs = new ArrayList<>();
        for (SourceDefinition source : project.config().sources().values()) {
            if (source.directory() != null && Files.isDirectory(source.directory())) {
                dirs.add(source.directory());
            }
        }
        Path cache = env.cargoHome().resolve("registry/src");
        if (Files.isDirectory(cache)) {
            try (DirectoryStream<Path> indexes = Files.newDirectoryStream(cache, Files::isDirectory)) {
                indexes.forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new LocalSources(dirs);
    }

    /** The directory holding this package's unpacked source, if one is on this machine. */
    public Optional<Path> directory(LockedPackage pkg) {
        if (pkg.source() == null || !pkg.source().isRegistry() || directories.isEmpty()) {
            return Optional.empty();
        }
        String versioned = pkg.name() + "-" + pkg.version();
        for (Path dir : directories) {
            Path exact = dir.resolve(versioned);
            if (Files.isRegularFile(exact.resolve("Cargo.toml"))) {
                return Optional.of(exact);
            }
            Path plain = dir.resolve(pkg.name());
            if (Files.isRegularFile(plain.resolve("Cargo.toml")) && declaresVersion(plain, pkg)) {
                return Optional.of(plain);
            }
        }
        return Optional.empty();
    }

    /** The package's own manifest, or null when its source is not here or its manifest cannot be read. */
    public Manifest manifest(LockedPackage pkg) {
        return directory(pkg).map(dir -> read(dir, pkg)).orElse(null);
    }

    /** Problems met while reading third-party manifests; they never stop a run. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private boolean declaresVersion(Path dir, LockedPackage pkg) {
        Manifest manifest = read(dir, pkg);
        return manifest != null && manifest.pkg() != null
                && pkg.version().toString().equals(manifest.pkg().version());
    }

    private Manifest read(Path dir, LockedPackage pkg) {
        try {
            return ManifestParser.parse(dir.resolve("Cargo.toml"));
        } catch (WardenException e) {
            warnings.add("cannot read the manifest of " + pkg.id().nameAndVersion() + ": " + e.getMessage());
            return null;
        }
    }
}
