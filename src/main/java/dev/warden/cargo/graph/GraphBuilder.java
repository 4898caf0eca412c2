package dev.warden.cargo.graph;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.semver.VersionReq;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link DependencyGraph} of a project. Edge kinds come from the depending package's manifest: the
 * workspace members' own manifests, plus any other package manifest {@code manifests} can supply (for example from
 * Cargo's local registry cache). A lockfile dependency is matched to the manifest declarations with the same crate
 * name whose source and version requirement fit the locked package; when none fits (a {@code [patch]} redirected
 * it) every declaration of that name counts.
 */
public final class GraphBuilder {

    private GraphBuilder() {
    }

    public static DependencyGraph build(Project project) {
        return build(project, pkg -> null);
    }

    public static DependencyGraph build(Project project, Function<LockedPackage, Manifest> manifests) {
        Lockfile lockfile = project.lockfile();
        Map<String, Manifest> members = byNameAndVersion(project.members());
        Map<String, Manifest> otherLocal = byNameAndVersion(project.otherLocal());
        boolean anyPathPackage = lockfile.packages().stream().anyMatch(p -> p.source() == null);
        Set<PackageId> dependedOn = new HashSet<>();
        for (LockedPackage pkg : lockfile.packages()) {
            dependedOn.addAll(pkg.dependencies());
        }

        List<DependencyGraph.Node> nodes = new ArrayList<>(lockfile.packages().size());
        Map<PackageId, Integer> index = new HashMap<>(lockfile.packages().size() * 2);
        for (LockedPackage pkg : lockfile.packages()) {
            Manifest member = pkg.source() == null ? members.get(pkg.id().nameAndVersion()) : null;
            boolean root;
            if (project.hasManifests()) {
                root = member != null;
            } else {
                // Without manifests the path packages are the workspace; failing those, whatever nothing depends on.
                root = anyPathPackage ? pkg.source() == null : !dependedOn.contains(pkg.id());
            }
            Manifest manifest = member != null ? member
                    : pkg.source() == null && otherLocal.containsKey(pkg.id().nameAndVersion())
                    ? otherLocal.get(pkg.id().nameAndVersion()) : manifests.apply(pkg);
            index.put(pkg.id(), nodes.size());
            nodes.add(new DependencyGraph.Node(nodes.size(), pkg, root, manifest));
        }

        List<List<DependencyGraph.Edge>> outgoing = new ArrayList<>(nodes.size());
        for (DependencyGraph.Node node : nodes) {
            List<DependencyGraph.Edge> edges = new ArrayList<>(node.pkg().dependencies().size());
            for (PackageId dependency : node.pkg().dependencies()) {
                Set<DependencyKind> kinds = EnumSet.noneOf(DependencyKind.class);
                Set<String> targets = new HashSet<>();
                if (node.manifest() != null) {
                    classify(node.manifest(), lockfile, dependency, kinds, targets);
                }
                edges.add(new DependencyGraph.Edge(node.index(), index.get(dependency), kinds, targets));
            }
            outgoing.add(edges);
        }
        return new DependencyGraph(nodes, outgoing);
    }

    private static Map<String, Manifest> byNameAndVersion(List<Manifest> manifests) {
        Map<String, Manifest> map = new HashMap<>();
        for (Manifest manifest : manifests) {
            String version = manifest.pkg().version() == null ? "0.0.0" : manifest.pkg().version();
            map.put(manifest.pkg().name() + " " + version, manifest);
        }
        return map;
    }

    private static void classify(Manifest manifest, Lockfile lockfile, PackageId locked, Set<DependencyKind> kinds,
                                 Set<String> targets) {
        List<Dependency> sameName = new ArrayList<>();
        for (Dependency declared : manifest.dependencies()) {
            if (sameCrate(declared.packageName(), locked.name())) {
                sameName.add(declared);
            }
        }
        List<Dependency> fitting = sameName.stream().filter(d -> fits(d, locked)).toList();
        List<Dependency> chosen = fitting.isEmpty() ? sameName : fitting;
        boolean unconditional = false;
        for (Dependency declared : chosen) {
            kinds.add(declared.kind());
            if (declared.target() == null) {
                unconditional = true;
            } else {
                targets.add(declared.target());
            }
        }
        if (unconditional) {
            targets.clear();
        }
    }

    /** Crates.io treats '-' and '_' in names as the same crate. */
    private static boolean sameCrate(String declared, String locked) {
        return declared.equals(locked) || declared.replace('-', '_').equals(locked.replace('-', '_'));
    }

    private static boolean fits(Dependency declared, PackageId locked) {
        if (locked.source() == null) {
            return declared.isPath();
        }
        if (locked.source().isGit()) {
            return declared.isGit();
        }
        if (declared.isGit() || declared.isPath()) {
            return false;
        }
        return declared.versionReq() == null || VersionReq.parse(declared.versionReq()).matches(locked.version());
    }
}
