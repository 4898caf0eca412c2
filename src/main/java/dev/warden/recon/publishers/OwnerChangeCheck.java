package dev.warden.recon.publishers;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Owners of the crates a project already depends on, compared with what the store recorded at its last gate run:
 * a crate handed to someone else (event-stream's new owner, before the malicious release) shows here while its
 * version in the lockfile is unchanged — the next update is then the one to read closely. Crates the change brings
 * are {@link PublisherDriftCheck}'s to judge.
 */
public final class OwnerChangeCheck implements Check {

    public static final Rule OWNERS_CHANGED = new Rule("owners-changed", Stage.RECONNAISSANCE, Severity.LOW,
            "A crate's owners changed since the last gate run of this project.");
    public static final List<Rule> RULES = List.of(OWNERS_CHANGED);

    /** Owners added at once from this many on are a takeover pattern, as is every earlier owner gone. */
    private static final int MANY = 3;

    private final Map<String, Set<String>> previous;
    private final Map<String, Set<String>> current;

    /**
     * @param previous owners per crate at the last gate run (crates it did not record are not compared)
     * @param current  owners per crate now, from the registry data
     */
    public OwnerChangeCheck(Map<String, Set<String>> previous, Map<String, Set<String>> current) {
        this.previous = previous;
        this.current = current;
    }

    /** The owners of each crate the registry data knows, as the store records them. */
    public static Map<String, Set<String>> owners(Map<String, RegistryData.CrateHistory> histories) {
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        histories.forEach((name, history) -> {
            Set<String> logins = new TreeSet<>();
            history.owners().forEach(owner -> logins.add(owner.team() ? owner.login() + " (team)" : owner.login()));
            owners.put(name, logins);
        });
        return owners;
    }

    @Override
    public String name() {
        return "owners";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LockedPackage pkg : context.project().lockfile().packages()) {
            if (pkg.source() == null || !pkg.source().isCratesIo() || context.change().brings(pkg)
                    || !seen.add(pkg.name())) {
                continue;
            }
            Set<String> before = previous.get(pkg.name());
            Set<String> now = current.get(pkg.name());
            if (before == null || now == null || before.equals(now)) {
                continue;
            }
            Set<String> added = new TreeSet<>(now);
            added.removeAll(before);
            Set<String> removed = new TreeSet<>(before);
            removed.removeAll(now);
            boolean transferred = !before.isEmpty() && removed.containsAll(before);
            Severity severity = transferred || added.size() >= MANY ? Severity.MEDIUM
                    : added.isEmpty() ? Severity.INFO : OWNERS_CHANGED.defaultSeverity();
            findings.add(new Finding(OWNERS_CHANGED, severity, pkg.name(), pkg.version().toString(), pkg.name()
                    + "'s owners changed since the last gate run: " + describe(added, removed)
                    + (transferred ? "; none of the earlier owners remain" : "")
                    + " — its next update deserves a close reading", List.of(new Evidence(lockfile, pkg.line(),
                    pkg.id().nameAndVersion())), Map.of()));
        }
        return findings;
    }

    private static String describe(Set<String> added, Set<String> removed) {
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added.stream().map(l -> "`" + Printable.of(l) + "`").toList()));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(", ", removed.stream().map(l -> "`" + Printable.of(l) + "`")
                    .toList()));
        }
        return String.join("; ", parts);
    }
}
