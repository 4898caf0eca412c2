package dev.warden.cargo.lock;

import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads every {@code Cargo.lock} format Cargo has written:
 * <ul>
 *   <li>v1: a {@code [root]} table (until 2017) or plain packages, fully qualified {@code "name version (source)"}
 *       dependencies, checksums in {@code [metadata]} as {@code "checksum name version (source)" = "…"}, and
 *       {@code replace = "…"} for {@code [replace]} overrides;</li>
 *   <li>v2: inline {@code checksum}, dependencies shortened to {@code "name"} or {@code "name version"} when that is
 *       unambiguous, no version header;</li>
 *   <li>v3: the same with {@code version = 3}; v4: {@code version = 4}, percent-encoded git references.</li>
 * </ul>
 * Dependencies are resolved the way Cargo resolves them, except that Warden refuses (rather than silently drops) a
 * dependency it cannot resolve: a lockfile that names a missing package has been tampered with or truncated.
 */
public final class LockfileParser {

    private static final String CHECKSUM_PREFIX = "checksum ";

    private final Path file;
    private final Map<String, List<PackageId>> byName = new HashMap<>();
    private final List<String> dropped = new ArrayList<>();
    // Large lockfiles repeat the same few sources and versions thousands of times; parse each text once.
    private final Map<String, SourceId> sources = new HashMap<>();
    private final Map<String, Version> versions = new HashMap<>();

    private LockfileParser(Path file) {
        this.file = file;
    }

    public static Lockfile parse(Path file) {
        return parse(Toml.read(file), file);
    }

    public static Lockfile parse(String text, Path file) {
        return new LockfileParser(file).lockfile(Toml.parse(text, file));
    }

    private Lockfile lockfile(TomlTable root) {
        Long declaredVersion = root.getInteger("version");
        if (declaredVersion != null && declaredVersion != 3 && declaredVersion != 4) {
            throw root.error("version", "lock file version " + declaredVersion
                    + " is not supported: Warden reads versions 1 to " + Lockfile.LATEST_VERSION
                    + (declaredVersion > Lockfile.LATEST_VERSION ? " (a newer Cargo wrote it; update Warden)" : ""));
        }

        List<RawPackage> raw = new ArrayList<>();
        TomlTable rootPackage = root.getTable("root");
        if (rootPackage != null) {
            raw.add(rawPackage(rootPackage));
        }
        TomlArray packages = root.getArray("package");
        if (packages != null) {
            for (TomlTable table : packages.tables(root, "package")) {
                raw.add(rawPackage(table));
            }
        }
        if (raw.isEmpty() && !root.isEmpty() && declaredVersion == null) {
            throw WardenException.at(file, 0, "not a Cargo.lock: no [[package]] entries");
        }

        Map<PackageId, RawPackage> ids = new HashMap<>();
        for (RawPackage p : raw) {
            RawPackage previous = ids.put(p.id, p);
            if (previous != null) {
                throw WardenException.at(file, p.table.line(), "package '" + p.id + "' is listed twice (also at line "
                        + previous.table.line() + ")");
            }
            byName.computeIfAbsent(p.id.name(), n -> new ArrayList<>(1)).add(p.id);
        }

        Map<PackageId, String> metadataChecksums = metadataChecksums(root.getTable("metadata"));
        boolean inlineChecksums = false;
        boolean shortDependencies = false;
        List<LockedPackage> resolved = new ArrayList<>(raw.size());
        for (RawPackage p : raw) {
            List<PackageId> dependencies = new ArrayList<>(p.dependencies.size());
            for (int i = 0; i < p.dependencies.size(); i++) {
                DependencySpec spec = DependencySpec.parse(p.dependencies.get(i), file, p.dependencyLines.get(i),
                        versions, sources);
                shortDependencies |= spec.version() == null;
                PackageId dependency = resolve(spec, p, p.dependencyLines.get(i));
                if (dependency != null) {
                    dependencies.add(dependency);
                }
            }
            PackageId replace = null;
            String replaceText = p.table.getString("replace");
            if (replaceText != null) {
                replace = resolve(DependencySpec.parse(replaceText, file, p.table.line("replace"), versions, sources), p,
                        p.table.line("replace"));
            }
            String checksum = p.table.getString("checksum");
            inlineChecksums |= checksum != null;
            if (checksum == null) {
                checksum = metadataChecksums.get(p.id);
            }
            resolved.add(new LockedPackage(p.id, checksum, dependencies, replace, p.table.line()));
        }
        resolved.sort((a, b) -> a.id().compareTo(b.id()));

        int version = declaredVersion != null ? declaredVersion.intValue()
                : inlineChecksums || shortDependencies ? 2 : 1;
        return new Lockfile(file, version, resolved, unusedPatches(root), dropped);
    }

    private record RawPackage(PackageId id, TomlTable table, List<String> dependencies, List<Integer> dependencyLines) {
    }

    private RawPackage rawPackage(TomlTable table) {
        String name = required(table, "name");
        String versionText = required(table, "version");
        Version version;
        try {
            version = versions.computeIfAbsent(versionText, Version::parse);
        } catch (WardenException e) {
            throw table.error("version", e.getMessage());
        }
        SourceId source = null;
        String sourceText = table.getString("source");
        if (sourceText != null) {
            try {
                source = sources.computeIfAbsent(sourceText, SourceId::parse);
            } catch (WardenException e) {
                throw table.error("source", e.getMessage());
            }
        }
        List<String> dependencies = table.getStrings("dependencies");
        List<Integer> lines = new ArrayList<>(dependencies.size());
        TomlArray array = table.getArray("dependencies");
        for (int i = 0; i < dependencies.size(); i++) {
            lines.add(array.line(i));
        }
        return new RawPackage(new PackageId(name, version, source), table, dependencies, lines);
    }

    private String required(TomlTable table, String key) {
        String value = table.getString(key);
        if (value == null || value.isEmpty()) {
            throw WardenException.at(file, table.line(), "package entry is missing '" + key + "'");
        }
        return value;
    }

    /**
     * Cargo's lookup: by name, then version, then source; without a source a lone path package wins. A reference
     * that names no package or several is dropped, as Cargo drops it (and would re-resolve), and recorded.
     */
    private PackageId resolve(DependencySpec spec, RawPackage owner, int line) {
        List<PackageId> candidates = byName.getOrDefault(spec.name(), List.of());
        if (candidates.size() == 1 && spec.version() == null) {
            return candidates.getFirst();
        }
        if (spec.version() == null && !sameVersion(candidates)) {
            return drop(line, "dependency '" + spec + "' of '" + owner.id.nameAndVersion() + "' is ambiguous: "
                    + "several versions of '" + spec.name() + "' are locked");
        }
        PackageId found = null;
        PackageId foundPath = null;
        int matches = 0;
        int pathMatches = 0;
        for (PackageId id : candidates) {
            if (spec.version() != null && !id.version().equals(spec.version())
                    || spec.source() != null && !spec.source().equals(id.source())) {
                continue;
            }
            matches++;
            found = id;
            if (id.isPath()) {
                pathMatches++;
                foundPath = id;
            }
        }
        if (matches > 1 && spec.source() == null && pathMatches == 1) {
            return foundPath;
        }
        if (matches == 0) {
            return drop(line, "'" + owner.id.nameAndVersion() + "' depends on '" + spec + "', which is not a package "
                    + "in this lockfile (truncated or edited by hand?)");
        }
        if (matches > 1) {
            return drop(line, "dependency '" + spec + "' of '" + owner.id.nameAndVersion() + "' is ambiguous: it "
                    + "matches " + matches + " packages");
        }
        return found;
    }

    private PackageId drop(int line, String what) {
        dropped.add(file + ":" + line + ": " + what + "; Cargo drops the reference and re-resolves, so the lockfile "
                + "is incomplete (cargo build --locked would fail)");
        return null;
    }

    private static boolean sameVersion(List<PackageId> ids) {
        for (PackageId id : ids) {
            if (!id.version().equals(ids.getFirst().version())) {
                return false;
            }
        }
        return true;
    }

    private Map<PackageId, String> metadataChecksums(TomlTable metadata) {
        Map<PackageId, String> checksums = new HashMap<>();
        if (metadata == null) {
            return checksums;
        }
        for (String key : metadata.keys()) {
            if (!key.startsWith(CHECKSUM_PREFIX)) {
                continue;
            }
            String value = metadata.getString(key);
            DependencySpec spec = DependencySpec.parse(key.substring(CHECKSUM_PREFIX.length()), file,
                    metadata.line(key), versions, sources);
            // Like Cargo, ignore checksums for packages that are not in the lockfile.
            byName.getOrDefault(spec.name(), List.of()).stream()
                    .filter(id -> id.version().equals(spec.version()) && Objects.equals(id.source(), spec.source()))
                    .findFirst()
                    .ifPresent(id -> {
                        if (!"<none>".equals(value)) {
                            checksums.put(id, value);
                        }
                    });
        }
        return checksums;
    }

    private List<PackageId> unusedPatches(TomlTable root) {
        TomlTable patch = root.getTable("patch");
        if (patch == null || patch.getArray("unused") == null) {
            return List.of();
        }
        List<PackageId> unused = new ArrayList<>();
        for (TomlTable table : patch.getArray("unused").tables(patch, "unused")) {
            unused.add(rawPackage(table).id);
        }
        return unused;
    }
}
