package dev.warden.cargo.change;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.semver.Version;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two lockfiles, crate by crate. A lockfile may hold several versions of one crate, so the
 * versions are paired the way a reviewer would: identical entries first (unchanged unless the checksum or git commit moved), then
 * the same version from another source, then versions within one semver-compatible range (an upgrade of that
 * line), and finally a lone old version with a lone new one (a major upgrade). Whatever is left was added or removed.
 */
public final class LockDiff {

    private LockDiff() {
    }

    public static List<PackageChange> compare(Lockfile before, Lockfile after) {
        Map<String, List<LockedPackage>> old = byName(before);
        Map<String, List<LockedPackage>> now = byName(after);
        TreeSet<String> names = new TreeSet<>(old.keySet());
        names.addAll(now.keySet());
        List<PackageChange> changes = new ArrayList<>();
        for (String name : names) {
            List<LockedPackage> was = old.getOrDefault(name, List.of());
            List<LockedPackage> is = now.getOrDefault(name, List.of());
            if (was.size() == 1 && is.size() == 1 && was.getFirst().id().equals(is.getFirst().id())) {
                // Most crates of a change: one entry on each side, the same package (a moved checksum or commit is
                // still a change).
                PackageChange same = new PackageChange(name, was.getFirst(), is.getFirst());
                if (same.changesAnything()) {
                    changes.add(same);
                }
            } else {
                changes.addAll(compareVersions(name, was, is));
            }
        }
        return changes;
    }

    private static Map<String, List<LockedPackage>> byName(Lockfile lockfile) {
        Map<String, List<LockedPackage>> byName = new HashMap<>(lockfile.packages().size() * 2);
        for (LockedPackage pkg : lockfile.packages()) {
            byName.computeIfAbsent(pkg.name(), n -> new ArrayList<>(1)).add(pkg);
        }
        return byName;
    }

    private static List<PackageChange> compareVersions(String name, List<LockedPackage> before,
                                                       List<LockedPackage> after) {
        List<LockedPackage> old = sorted(before);
        List<LockedPackage> now = sorted(after);
        List<PackageChange> changes = new ArrayList<>();
        pair(name, old, now, changes, (a, b) -> a.id().equals(b.id()));
        pair(name, old, now, changes, (a, b) -> a.version().equals(b.version()));
        pair(name, old, now, changes, (a, b) -> compatibilityRange(a.version()).equals(compatibilityRange(b.version())));
        if (old.size() == 1 && now.size() == 1) {
            changes.add(new PackageChange(name, old.removeFirst(), now.removeFirst()));
        }
        old.forEach(p -> changes.add(new PackageChange(name, p, null)));
        now.forEach(p -> changes.add(new PackageChange(name, null, p)));
        changes.sort(Comparator.comparing(LockDiff::sortVersion));
        return changes;
    }

    private interface Match {
        boolean test(LockedPackage before, LockedPackage after);
    }

    /** Pairs entries that match, removing them from both lists; identical, unchanged entries are dropped. */
    private static void pair(String name, List<LockedPackage> old, List<LockedPackage> now, List<PackageChange> changes,
                             Match match) {
        for (Iterator<LockedPackage> it = old.iterator(); it.hasNext(); ) {
            LockedPackage before = it.next();
            for (Iterator<LockedPackage> candidates = now.iterator(); candidates.hasNext(); ) {
                LockedPackage after = candidates.next();
                if (match.test(before, after)) {
                    it.remove();
                    candidates.remove();
                    PackageChange change = new PackageChange(name, before, after);
                    if (change.changesAnything()) {
                        changes.add(change);
                    }
                    break;
                }
            }
        }
    }

    private static List<LockedPackage> sorted(List<LockedPackage> packages) {
        List<LockedPackage> copy = new ArrayList<>(packages);
        copy.sort(Comparator.comparing(LockedPackage::id));
        return copy;
    }

    /** Cargo's compatibility range: the major version, or 0.minor, or 0.0.patch. */
    static String compatibilityRange(Version v) {
        if (v.major() > 0) {
            return v.major() + "";
        }
        return v.minor() > 0 ? "0." + v.minor() : "0.0." + v.patch();
    }

    private static Version sortVersion(PackageChange change) {
        return Objects.requireNonNullElse(change.after(), change.before()).version();
    }
}
