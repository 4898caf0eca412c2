package dev.warden.evaluate.scan;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.CrateLocator;
import dev.warden.evaluate.source.CrateTree;
import dev.warden.evaluate.source.TreeLimits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scans every locked package whose source is on this machine (workspace members, vendored or cached crates,
 * downloaded {@code .crate} files, git checkouts), in parallel. Packages whose source is not available are listed,
 * never guessed about; a source that cannot be read safely becomes a finding rather than stopping the scan.
 */
public final class ProjectScan {

    /** The scans, plus the packages that could not be scanned and why. */
    public record Result(List<CrateScan> scans, Map<String, String> notScanned) {

        public Result {
            scans = List.copyOf(scans);
            notScanned = Map.copyOf(notScanned);
        }

        public List<Finding> findings() {
            return scans.stream().flatMap(s -> s.findings().stream()).toList();
        }
    }

    private ProjectScan() {
    }

    public static Result scan(Project project, Environment env, List<LockedPackage> packages) {
        CrateLocator locator = new CrateLocator(project, env);
        List<CrateScan> scans = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> missing = Collections.synchronizedMap(new TreeMap<>());
        packages.parallelStream().forEach(pkg -> {
            Optional<CrateScan> scan = scan(pkg, locator, missing);
            scan.ifPresent(scans::add);
        });
        List<CrateScan> ordered = new ArrayList<>(scans);
        ordered.sort((a, b) -> a.name().equals(b.name()) ? a.version().compareTo(b.version()) : a.name().compareTo(b.name()));
        return new Result(ordered, missing);
    }

    /** Scans one package's local source; empty when there is none. */
    public static Optional<CrateScan> scan(LockedPackage pkg, CrateLocator locator) {
        return scan(pkg, locator, new TreeMap<>());
    }

    /** Scans one package's local source; empty (and noted in {@code missing}) when there is none. */
    public static Optional<CrateScan> scan(LockedPackage pkg, CrateLocator locator, Map<String, String> missing) {
        Optional<CrateLocator.Located> located = locator.locate(pkg);
        if (located.isEmpty()) {
            missing.put(pkg.id().nameAndVersion(), "source not on this machine");
            return Optional.empty();
        }
        CrateLocator.Located where = located.get();
        try {
            CrateTree tree = where.archive() ? CrateArchive.read(where.path(), TreeLimits.DEFAULT)
                    : CrateDirectory.read(where.path(), TreeLimits.DEFAULT);
            boolean packaged = pkg.source() != null && pkg.source().isRegistry();
            return Optional.of(CrateScanner.scan(tree, packaged, where.checksumMatches()));
        } catch (WardenException e) {
            // A hostile or broken source is itself worth reporting; the rest of the project still gets scanned.
            Finding refused = new Finding(ScanRules.REFUSED, Severity.HIGH, pkg.name(),
                    pkg.version().toString(), "source could not be read safely: " + e.getMessage(),
                    List.of(Evidence.of(where.path().toString(), 0)), Map.of());
            return Optional.of(new CrateScan(pkg.name(), pkg.version().toString(), where.path().toString(), false,
                    false, UnsafeCounts.ZERO, Map.of(), new TreeMap<>(), Set.of(), List.of(refused), 0));
        }
    }
}
