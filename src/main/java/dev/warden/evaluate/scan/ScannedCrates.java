package dev.warden.evaluate.scan;

import dev.warden.cargo.download.CrateDownloader;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.CrateLocator;
import dev.warden.evaluate.source.CrateTree;
import dev.warden.evaluate.source.SourceAcquisition;
import dev.warden.evaluate.source.TreeLimits;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The crates a run was asked to judge, each either scanned from its source or unverified with the reason — built
 * once per run and shared by every check that reads code (the security diff, the scan, the build-code and unsafe
 * policy), so no crate is fetched or scanned twice and none is passed without being looked at.
 */
public final class ScannedCrates {

    /** What is known about one asked-for crate. */
    public sealed interface Outcome {
    }

    /** @param downloaded whether its {@code .crate} was fetched from its registry in this run */
    public record Scanned(CrateScan scan, boolean downloaded) implements Outcome {
    }

    public record Unverified(CrateDownloader.Reason reason, String detail) implements Outcome {
    }

    private static final ScannedCrates NONE = new ScannedCrates(Map.of());

    private final Map<PackageId, Outcome> outcomes;

    private ScannedCrates(Map<PackageId, Outcome> outcomes) {
        this.outcomes = outcomes;
    }

    /** Nothing asked, nothing scanned: for commands that read no code. */
    public static ScannedCrates none() {
        return NONE;
    }

    /** Outcomes already known (a caller that scanned by other means). */
    public static ScannedCrates of(Map<PackageId, Outcome> outcomes) {
        return new ScannedCrates(new LinkedHashMap<>(outcomes));
    }

    /** Acquires every package's source (in parallel, bounded) and scans what it found, in parallel too. */
    public static ScannedCrates of(SourceAcquisition acquisition, Collection<LockedPackage> packages,
                                   Consumer<SourceAcquisition.Progress> progress) {
        Map<PackageId, SourceAcquisition.Acquired> acquired = acquisition.acquire(packages, progress);
        Map<PackageId, Outcome> scanned = new ConcurrentHashMap<>();
        packages.parallelStream().distinct().forEach(pkg -> scanned.put(pkg.id(),
                switch (acquired.get(pkg.id())) {
                    case SourceAcquisition.Found found -> new Scanned(scan(pkg, found.located()), found.downloaded());
                    case SourceAcquisition.Unavailable missing -> new Unverified(missing.reason(), missing.detail());
                }));
        Map<PackageId, Outcome> ordered = new LinkedHashMap<>();
        packages.forEach(pkg -> ordered.put(pkg.id(), scanned.get(pkg.id())));
        return new ScannedCrates(ordered);
    }

    /** Scans one located source; a source that cannot be read safely becomes a finding, not an error. */
    static CrateScan scan(LockedPackage pkg, CrateLocator.Located where) {
        try {
            CrateTree tree = where.archive() ? CrateArchive.read(where.path(), TreeLimits.DEFAULT)
                    : CrateDirectory.read(where.path(), TreeLimits.DEFAULT);
            boolean packaged = pkg.source() != null && pkg.source().isRegistry();
            return CrateScanner.scan(tree, packaged, where.checksumMatches());
        } catch (WardenException e) {
            Finding refused = new Finding(ScanRules.REFUSED, Severity.HIGH, pkg.name(),
                    pkg.version().toString(), "source could not be read safely: " + e.getMessage(),
                    List.of(Evidence.of(where.path().toString(), 0)), Map.of());
            return new CrateScan(pkg.name(), pkg.version().toString(), where.path().toString(), false,
                    false, UnsafeCounts.ZERO, Map.of(), new TreeMap<>(), Set.of(), Map.of(), List.of(),
                    List.of(refused), 0, 0, null, null);
        }
    }

    /** The package's scan, when its source could be read. */
    public Optional<CrateScan> scan(LockedPackage pkg) {
        return outcomes.get(pkg.id()) instanceof Scanned s ? Optional.of(s.scan()) : Optional.empty();
    }

    /** The scans of the crates that could be read, in the order they were asked for. */
    public List<CrateScan> scans() {
        return outcomes.values().stream().filter(Scanned.class::isInstance).map(o -> ((Scanned) o).scan()).toList();
    }

    public Map<PackageId, Outcome> outcomes() {
        return outcomes;
    }

    public long scannedCount() {
        return outcomes.values().stream().filter(Scanned.class::isInstance).count();
    }

    public long unverifiedCount() {
        return outcomes.values().stream().filter(Unverified.class::isInstance).count();
    }

    public long downloadedCount() {
        return outcomes.values().stream().filter(o -> o instanceof Scanned s && s.downloaded()).count();
    }
}
