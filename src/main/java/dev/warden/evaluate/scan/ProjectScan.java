package dev.warden.evaluate.scan;

import dev.warden.cargo.lock.PackageId;
import dev.warden.core.Finding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scan of a project: every asked-for package scanned from its source, and those that could not be, with why.
 * Packages whose source could not be had are listed, never guessed about; a source that cannot be read safely is a
 * finding rather than stopping the scan.
 */
public final class ProjectScan {

    /**
     * The scans, plus the packages that could not be scanned and why.
     *
     * @param unverified the coverage check's findings about the packages in {@code notScanned}
     */
    public record Result(List<CrateScan> scans, Map<String, String> notScanned, List<Finding> unverified) {

        public Result {
            scans = List.copyOf(scans);
            notScanned = Collections.unmodifiableMap(new TreeMap<>(notScanned));
            unverified = List.copyOf(unverified);
        }

        /** One crate read on its own: nothing else was asked for. */
        public static Result single(CrateScan scan) {
            return new Result(List.of(scan), Map.of(), List.of());
        }

        /** What could not be read first, then what the code can do. */
        public List<Finding> findings() {
            List<Finding> all = new ArrayList<>(unverified);
            scans.forEach(s -> all.addAll(s.findings()));
            return all;
        }
    }

    private ProjectScan() {
    }

    /** @param unverified the coverage check's findings about the crates that could not be read */
    public static Result of(ScannedCrates crates, List<Finding> unverified) {
        List<CrateScan> scans = new ArrayList<>();
        Map<String, String> missing = new TreeMap<>();
        for (Map.Entry<PackageId, ScannedCrates.Outcome> entry : crates.outcomes().entrySet()) {
            switch (entry.getValue()) {
                case ScannedCrates.Scanned scanned -> scans.add(scanned.scan());
                case ScannedCrates.Unverified missed -> missing.put(entry.getKey().nameAndVersion(),
                        missed.reason().label() + ": " + missed.detail());
            }
        }
        scans.sort(Comparator.comparing(CrateScan::name).thenComparing(CrateScan::version));
        return new Result(scans, missing, unverified);
    }
}
