package dev.warden.cargo.change;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.PackageId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a change does to the lockfile, computed once and read by every check: for each package of the new lockfile
 * whether the change brings it (added, or changed in version, origin, git commit or checksum) and what it was
 * before. Source identity is normalised once ({@link dev.warden.cargo.lock.SourceId#origin()}: crates.io's git and
 * sparse index are one source), so rewriting a lockfile from one crates.io protocol to the other brings nothing.
 * Without a base the whole lockfile is new: every package is brought.
 */
public final class Change {

    private final Base base;
    private final Lockfile after;
    private final List<PackageChange> changes;
    private final Map<PackageId, PackageChange> byAfter = new HashMap<>();

    private Change(Base base, Lockfile after, List<PackageChange> changes) {
        this.base = base;
        this.after = after;
        this.changes = List.copyOf(changes);
        for (PackageChange change : this.changes) {
            if (change.after() != null) {
                byAfter.put(change.after().id(), change);
            }
        }
    }

    /** The change from {@code base} to {@code after}. */
    public static Change between(Base base, Lockfile after) {
        return new Change(base, after, LockDiff.compare(base.lockfile(), after));
    }

    /** No base: every locked package is judged as new. */
    public static Change whole(Lockfile lockfile) {
        return new Change(null, lockfile, lockfile.packages().stream()
                .map(p -> new PackageChange(p.name(), null, p)).toList());
    }

    public Optional<Base> base() {
        return Optional.ofNullable(base);
    }

    public boolean hasBase() {
        return base != null;
    }

    public Lockfile after() {
        return after;
    }

    /** Every package that differs, in name and version order; removed packages have no {@code after}. */
    public List<PackageChange> changes() {
        return changes;
    }

    /** Whether the change brings this package of the new lockfile. */
    public boolean brings(LockedPackage pkg) {
        return byAfter.containsKey(pkg.id());
    }

    /** What the base locked in this package's place, when the change replaced one (an upgrade, a source move). */
    public Optional<LockedPackage> previous(LockedPackage pkg) {
        PackageChange change = byAfter.get(pkg.id());
        return change == null ? Optional.empty() : Optional.ofNullable(change.before());
    }

    /**
     * The code a review must read: every third-party crate the change brings, and the version each changed crate
     * had in the base, so that "what can the new code do that the old could not" is answered from both sides.
     */
    public List<LockedPackage> codeToRead() {
        Set<LockedPackage> read = new LinkedHashSet<>();
        for (LockedPackage pkg : brought()) {
            if (pkg.source() != null) {
                read.add(pkg);
                previous(pkg).filter(p -> p.source() != null).ifPresent(read::add);
            }
        }
        return List.copyOf(read);
    }

    /** The packages of the new lockfile that the change brings. */
    public List<LockedPackage> brought() {
        return after.packages().stream().filter(this::brings).toList();
    }

    /**
     * For each new crate, the crates already in the graph that it entered through: walk up the new lockfile's
     * dependents, passing over other new crates, and stop at the first crate that was there before.
     */
    public Map<PackageId, List<PackageId>> introducers() {
        Set<PackageId> added = new HashSet<>();
        changes.stream().filter(c -> c.before() == null).forEach(c -> added.add(c.after().id()));
        Map<PackageId, List<PackageId>> dependents = new HashMap<>();
        for (LockedPackage pkg : after.packages()) {
            for (PackageId dependency : pkg.dependencies()) {
                dependents.computeIfAbsent(dependency, d -> new ArrayList<>()).add(pkg.id());
            }
        }
        Map<PackageId, List<PackageId>> result = new HashMap<>();
        for (PackageId crate : added) {
            Set<PackageId> seen = new HashSet<>(Set.of(crate));
            Set<PackageId> found = new LinkedHashSet<>();
            Deque<PackageId> pending = new ArrayDeque<>(List.of(crate));
            while (!pending.isEmpty()) {
                for (PackageId dependent : dependents.getOrDefault(pending.pop(), List.of())) {
                    if (!seen.add(dependent)) {
                        continue;
                    }
                    if (added.contains(dependent)) {
                        pending.add(dependent);
                    } else {
                        found.add(dependent);
                    }
                }
            }
            result.put(crate, found.stream().sorted().toList());
        }
        return result;
    }
}
