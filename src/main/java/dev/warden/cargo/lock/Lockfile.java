package dev.warden.cargo.lock;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Cargo.lock}: its format version (1–4) and packages sorted the way Cargo sorts them.
 *
 * @param unusedPatches packages from {@code [[patch.unused]]}: patches the resolver did not need
 */
public record Lockfile(Path path, int version, List<LockedPackage> packages, List<PackageId> unusedPatches,
                       List<String> dropped) {

    /** The newest lockfile format this Warden understands. */
    public static final int LATEST_VERSION = 4;

    /**
     * @param dropped dependency references Cargo would drop as it reads the file (naming no package, or several),
     *                each "file:line: what": the lockfile is incomplete, and Cargo would re-resolve it
     */
    public Lockfile {
        packages = List.copyOf(packages);
        unusedPatches = List.copyOf(unusedPatches);
        dropped = List.copyOf(dropped);
    }

    public Lockfile(Path path, int version, List<LockedPackage> packages, List<PackageId> unusedPatches) {
        this(path, version, packages, unusedPatches, List.of());
    }

    public Optional<LockedPackage> find(PackageId id) {
        return packages.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Every package with this name (crates.io treats '-' and '_' alike, but lockfiles keep the exact name). */
    public List<LockedPackage> named(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).toList();
    }

    public Map<PackageId, LockedPackage> byId() {
        Map<PackageId, LockedPackage> map = new HashMap<>(packages.size() * 2);
        for (LockedPackage p : packages) {
            map.put(p.id(), p);
        }
        return map;
    }

    /** Counts of packages per source category, for inventories. */
    public Map<String, Integer> sourceSummary() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String category : List.of("crates.io", "other registry", "git", "path")) {
            counts.put(category, 0);
        }
        for (LockedPackage p : packages) {
            counts.merge(category(p.source()), 1, Integer::sum);
        }
        return counts;
    }

    static String category(SourceId source) {
        if (source == null || source.kind() == SourceKind.PATH) {
            return "path";
        }
        if (source.isCratesIo()) {
            return "crates.io";
        }
        return source.isGit() ? "git" : "other registry";
    }
}
