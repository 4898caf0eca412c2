package dev.warden.evaluate.scan;

import dev.warden.core.Finding;
import dev.warden.evaluate.license.CrateLicense;
import dev.warden.evaluate.repository.Provenance;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of scanning one crate.
 *
 * @param origin        where its files were read from
 * @param unsafeTotal   unsafe in code that is built for dependents (library, build script, proc macro)
 * @param unsafeByRole  unsafe per role, tests and examples included separately
 * @param unsafeByFile  unsafe per source file (crate-relative path), for the files that have any
 * @param capabilities  what its code can do, per role, for comparing versions
 * @param signalKinds   the kinds of signal each role's code shows, for counting across crates (how many build
 *                      scripts open connections) without reading the capabilities' words
 * @param flows         the data-flow chains found in its code (secret to network, download to execution)
 * @param bytes         Rust source bytes scanned
 * @param lines         lines of Rust code built for dependents (library, build script, proc macro; not tests), not
 *                      counting blank and comment-only lines
 * @param license       its licence field and licence files, or null when its files could not be read
 * @param provenance    its repository, recorded commit and file blob ids, or null when its files could not be read
 *                      or it is not a packaged crate
 */
public record CrateScan(String name, String version, String origin, boolean hasBuildScript, boolean procMacro,
                        UnsafeCounts unsafeTotal, Map<Role, UnsafeCounts> unsafeByRole,
                        SortedMap<String, UnsafeCounts> unsafeByFile, Set<Capability> capabilities,
                        Map<Role, Set<Signals.Kind>> signalKinds,
                        List<Flow> flows, List<Finding> findings, long bytes, long lines, CrateLicense license,
                        Provenance provenance) {

    /** One chain and where its code runs. */
    /** Whether the code of any role that runs at build time shows one of these kinds of signal. */
    public boolean atBuildTime(Set<Signals.Kind> wanted) {
        return signalKinds.entrySet().stream().anyMatch(e -> e.getKey().runsAtBuildTime()
                && e.getValue().stream().anyMatch(wanted::contains));
    }

    public record Flow(Role role, DataFlow.Chain chain) {

        /** The flow without line numbers, for telling whether two versions have the same one. */
        public String shape() {
            return role + " " + chain.shape();
        }
    }

    public CrateScan {
        unsafeByRole = Map.copyOf(unsafeByRole);
        unsafeByFile = Collections.unmodifiableSortedMap(new TreeMap<>(unsafeByFile));
        capabilities = Set.copyOf(capabilities);
        Map<Role, Set<Signals.Kind>> kinds = new EnumMap<>(Role.class);
        signalKinds.forEach((role, set) -> kinds.put(role,
                set.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(set))));
        signalKinds = Collections.unmodifiableMap(kinds);
        flows = List.copyOf(flows);
        findings = List.copyOf(findings);
    }
}
