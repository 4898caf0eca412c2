package dev.warden.evaluate.source;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.project.LocalSources;
import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the source of a locked package on this machine, offline: workspace and path packages in place; registry
 * packages in a vendored or cached unpacked directory, else Cargo's downloaded {@code .crate} file (checked against
 * the lockfile checksum); git packages in Cargo's git checkouts.
 */
public final class CrateLocator {

    /**
     * A located source.
     *
     * @param checksumMatches for a {@code .crate} file: whether its SHA-256 equals the lockfile's checksum (null when
     *                        nothing was checked)
     */
    public record Located(Path path, boolean archive, Boolean checksumMatches) {
    }

    private final Project project;
    private final LocalSources sources;
    private final List<Path> crateCaches;
    private final Path gitCheckouts;

    public CrateLocator(Project project, Environment env) {
        this.project = project;
        this.sources = LocalSources.of(project, env);
        this.crateCaches = subdirectories(env.cargoHome().resolve("registry/cache"));
        this.gitCheckouts = env.cargoHome().resolve("git/checkouts");
    }

    public Optional<Located> locate(LockedPackage pkg) {
        if (pkg.source() == null) {
            return local(pkg).map(dir -> new Located(dir, false, null));
        }
        if (pkg.source().isGit()) {
            return git(pkg).map(dir -> new Located(dir, false, null));
        }
        Optional<Path> unpacked = sources.directory(pkg);
        if (unpacked.isPresent()) {
            return Optional.of(new Located(unpacked.get(), false, null));
        }
        for (Path cache : crateCaches) {
            Path crate = cache.resolve(pkg.name() + "-" + pkg.version() + ".crate");
            if (Files.isRegularFile(crate)) {
                Boolean matches = pkg.checksum() == null ? null
                        : pkg.checksum().equalsIgnoreCase(CrateArchive.sha256(crate));
                return Optional.of(new Located(crate, true, matches));
            }
        }
        return Optional.empty();
    }

    private Optional<Path> local(LockedPackage pkg) {
        return Stream.concat(project.members().stream(), project.otherLocal().stream())
                .filter(m -> m.pkg().name().equals(pkg.name())
                        && pkg.version().toString().equals(m.pkg().version() == null ? "0.0.0" : m.pkg().version()))
                .map(Manifest::directory)
                .findFirst();
    }

    /** Cargo checks out each locked commit as {@code git/checkouts/<repo>-<hash>/<short-commit>/}. */
    private Optional<Path> git(LockedPackage pkg) {
        String precise = pkg.source().precise();
        if (precise == null || precise.length() < 7 || !Files.isDirectory(gitCheckouts)) {
            return Optional.empty();
        }
        for (Path repo : subdirectories(gitCheckouts)) {
            Path checkout = repo.resolve(precise.substring(0, 7));
            if (Files.isDirectory(checkout)) {
                try (Stream<Path> walk = Files.walk(checkout, 4)) {
                    Optional<Path> found = walk.filter(p -> p.getFileName().toString().equals("Cargo.toml"))
                            .filter(p -> declares(p, pkg))
                            .map(Path::getParent)
                            .findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean declares(Path manifest, LockedPackage pkg) {
        try {
            Manifest parsed = ManifestParser.parse(manifest);
            return parsed.pkg() != null && parsed.pkg().name().equals(pkg.name());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<Path> subdirectories(Path dir) {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                children.forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dirs;
    }
}
