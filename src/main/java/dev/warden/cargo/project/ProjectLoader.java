package dev.warden.cargo.project;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.config.CargoConfigLoader;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.manifest.Override;
import dev.warden.cargo.semver.SemverException;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.Environment;
import dev.warden.core.WardenException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a {@link Project} from what a user points at: a project directory, a {@code Cargo.toml} or a
 * {@code Cargo.lock}. Finds the workspace root as Cargo does (a {@code package.workspace} pointer, else the nearest
 * ancestor manifest with {@code [workspace]} that does not exclude the package) and its members (member globs minus
 * excludes, the root package, and path dependencies inside the root).
 */
public final class ProjectLoader {

    /** How a lockfile that no longer matches its manifests is reported. */
    public static final String OUT_OF_DATE = "the lockfile is out of date (cargo build --locked would fail)";

    private final Environment env;

    public ProjectLoader(Environment env) {
        this.env = env;
    }

    public Project load(String pathArgument) {
        Path path = pathArgument == null ? env.workingDirectory() : env.resolve(pathArgument);
        if (!Files.exists(path)) {
            throw new WardenException(path + ": no such file or directory");
        }
        Path lockfilePath = null;
        Path manifestPath;
        if (Files.isDirectory(path)) {
            manifestPath = path.resolve("Cargo.toml");
            if (!Files.isRegularFile(manifestPath)) {
                manifestPath = null;
                lockfilePath = path.resolve("Cargo.lock");
                if (!Files.isRegularFile(lockfilePath)) {
                    throw new WardenException(path + ": no Cargo.toml or Cargo.lock here");
                }
            }
        } else if (path.getFileName().toString().endsWith(".toml")) {
            manifestPath = path;
        } else {
            lockfilePath = path;
            Path sibling = path.resolveSibling("Cargo.toml");
            manifestPath = Files.isRegularFile(sibling) ? sibling : null;
        }

        if (manifestPath == null) {
            Lockfile lockfile = LockfileParser.parse(lockfilePath);
            Path root = lockfilePath.getParent();
            return new Project(root, lockfile, null, List.of(), List.of(), CargoConfigLoader.load(root, env),
                    lockfile.dropped());
        }
        return loadWorkspace(manifestPath.toAbsolutePath().normalize(), lockfilePath);
    }

    private Project loadWorkspace(Path manifestPath, Path explicitLockfile) {
        Manifest start = ManifestParser.parse(manifestPath);
        Manifest rootManifest = findRoot(start);
        Path root = rootManifest.directory();
        Path lockfilePath = explicitLockfile != null ? explicitLockfile : root.resolve("Cargo.lock");
        if (!Files.isRegularFile(lockfilePath)) {
            throw new MissingLockfileException(lockfilePath);
        }
        Lockfile lockfile = LockfileParser.parse(lockfilePath);
        LocalPackages local = localPackages(rootManifest);
        List<String> warnings = new ArrayList<>(lockfile.dropped());
        for (Manifest member : local.members()) {
            String version = member.pkg().version() == null ? "0.0.0" : member.pkg().version();
            Optional<LockedPackage> locked = lockfile.named(member.pkg().name()).stream()
                    .filter(p -> p.source() == null && p.version().toString().equals(version)).findFirst();
            if (locked.isEmpty()) {
                warnings.add("workspace member '" + member.pkg().name() + " " + version + "' is not in "
                        + lockfilePath.getFileName() + ": " + OUT_OF_DATE);
            } else {
                unlockedDependencies(member, locked.get(), lockfile).forEach(warnings::add);
            }
        }
        CargoConfig config = CargoConfigLoader.load(root, env);
        return new Project(root, lockfile, rootManifest, local.members(), local.others(), config, warnings);
    }

    /**
     * Declarations of {@code member} that its lockfile entry does not satisfy — a dependency added or its
     * requirement raised without re-locking — each of which makes {@code cargo build --locked} fail. Cargo locks
     * every declaration whatever its kind, platform or optionality, so each must be there.
     */
    private static List<String> unlockedDependencies(Manifest member, LockedPackage locked, Lockfile lockfile) {
        List<String> problems = new ArrayList<>();
        for (Dependency dependency : member.dependencies()) {
            List<PackageId> candidates = locked.dependencies().stream()
                    .filter(id -> id.name().equals(dependency.packageName())).toList();
            String declared = member.path().getFileName() + ":" + dependency.line();
            if (candidates.isEmpty()) {
                problems.add(member.pkg().name() + " declares " + dependency.packageName() + " (" + declared
                        + ") but " + lockfile.path().getFileName() + " does not lock it: " + OUT_OF_DATE);
                continue;
            }
            VersionReq requirement = requirement(dependency);
            if (requirement != null && candidates.stream().noneMatch(id -> id.version() == null
                    || requirement.matches(id.version()))) {
                problems.add(member.pkg().name() + " requires " + dependency.packageName() + " "
                        + dependency.versionReq() + " (" + declared + ") but " + lockfile.path().getFileName()
                        + " locks " + candidates.stream().map(id -> String.valueOf(id.version())).toList() + ": "
                        + OUT_OF_DATE);
            }
        }
        return problems;
    }

    private static VersionReq requirement(Dependency dependency) {
        if (dependency.versionReq() == null) {
            return null;
        }
        try {
            return VersionReq.parse(dependency.versionReq());
        } catch (SemverException e) {
            return null; // an unparsable requirement is the manifest check's business, not the lockfile's
        }
    }

    private Manifest findRoot(Manifest start) {
        if (start.workspace() != null) {
            return start;
        }
        if (start.workspacePointer() != null) {
            Path pointed = start.directory().resolve(start.workspacePointer()).resolve("Cargo.toml").normalize();
            Manifest root = ManifestParser.parse(pointed);
            if (root.workspace() == null) {
                throw WardenException.at(start.path(), start.pkg().line(), "package.workspace points at " + pointed
                        + ", which has no [workspace]");
            }
            return root;
        }
        for (Path dir = start.directory().getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("Cargo.toml");
            if (Files.isRegularFile(candidate)) {
                Manifest manifest = ManifestParser.parse(candidate);
                if (manifest.workspace() != null && !excluded(manifest, start.directory())) {
                    return manifest;
                }
            }
        }
        return start;
    }

    private static boolean excluded(Manifest root, Path dir) {
        return Glob.excluded(root.directory(), dir, root.workspace().exclude(), root.workspace().members());
    }

    /** Workspace members, and the other local packages the build uses (outside path deps and [patch] paths). */
    private record LocalPackages(List<Manifest> members, List<Manifest> others) {
    }

    /** Members keyed by directory, with inheritance resolved; path dependencies inside the root join too. */
    private LocalPackages localPackages(Manifest rootManifest) {
        Path root = rootManifest.directory();
        Map<Path, Manifest> members = new LinkedHashMap<>();
        Map<Path, Manifest> others = new LinkedHashMap<>();
        Deque<Path> pending = new ArrayDeque<>();
        Deque<Path> outside = new ArrayDeque<>();
        if (!rootManifest.isVirtual()) {
            pending.add(root);
        }
        if (rootManifest.workspace() != null) {
            for (String pattern : rootManifest.workspace().members()) {
                List<Path> dirs = Glob.expand(root, pattern);
                if (dirs.isEmpty() && !Glob.hasMeta(pattern)) {
                    throw WardenException.at(rootManifest.path(), rootManifest.workspace().line(),
                            "workspace member '" + pattern + "' does not exist");
                }
                for (Path dir : dirs) {
                    if (!excluded(rootManifest, dir) && (Files.isRegularFile(dir.resolve("Cargo.toml")) || !Glob.hasMeta(pattern))) {
                        pending.add(dir);
                    }
                }
            }
        }
        for (Override override : rootManifest.overrides()) {
            if (override.replacement().path() != null) {
                outside.add(override.replacement().path());
            }
        }
        while (!pending.isEmpty()) {
            Path dir = pending.removeFirst();
            if (members.containsKey(dir)) {
                continue;
            }
            Path manifestPath = dir.resolve("Cargo.toml");
            if (!Files.isRegularFile(manifestPath)) {
                throw WardenException.at(rootManifest.path(), rootManifest.workspace().line(),
                        "workspace member " + root.relativize(dir) + " has no Cargo.toml");
            }
            Manifest manifest = dir.equals(root) ? rootManifest : ManifestParser.parse(manifestPath);
            if (manifest.isVirtual()) {
                continue;
            }
            if (rootManifest.workspace() != null) {
                manifest = ManifestParser.inherit(manifest, rootManifest.workspace(), rootManifest.path());
            }
            members.put(dir, manifest);
            for (Dependency dependency : manifest.dependencies()) {
                Path depDir = dependency.path();
                if (depDir == null) {
                    continue;
                }
                boolean member = depDir.startsWith(root) && rootManifest.workspace() != null
                        && !excluded(rootManifest, depDir);
                (member ? pending : outside).add(depDir);
            }
        }
        while (!outside.isEmpty()) {
            Path dir = outside.removeFirst();
            Path manifestPath = dir.resolve("Cargo.toml");
            if (members.containsKey(dir) || others.containsKey(dir) || !Files.isRegularFile(manifestPath)) {
                continue;
            }
            Manifest manifest = ManifestParser.parse(manifestPath);
            if (manifest.isVirtual()) {
                continue;
            }
            others.put(dir, manifest);
            for (Dependency dependency : manifest.dependencies()) {
                if (dependency.path() != null) {
                    outside.add(dependency.path());
                }
            }
        }
        return new LocalPackages(List.copyOf(members.values()), List.copyOf(others.values()));
    }
}
