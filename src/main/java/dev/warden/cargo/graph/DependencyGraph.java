package dev.warden.cargo.graph;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.manifest.Manifest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The resolved dependency graph of a project: one node per locked package, one edge per lockfile dependency, with
 * edge kinds (normal/build/dev) and platform targets wherever the depending package's manifest is known. Roots are
 * the workspace members. Built once per run and shared read-only by every check.
 */
public final class DependencyGraph {

    /** A package in the graph; {@code manifest} is null when its manifest is not available locally. */
    public record Node(int index, LockedPackage pkg, boolean root, Manifest manifest) {

        public PackageId id() {
            return pkg.id();
        }

        public String name() {
            return pkg.name();
        }
    }

    /**
     * A dependency edge. {@code kinds} is empty when unknown (the lockfile does not record kinds and the depending
     * package's manifest was not available); {@code targets} is empty when the dependency applies to all platforms.
     */
    public record Edge(int from, int to, Set<DependencyKind> kinds, Set<String> targets) {

        public Edge {
            kinds = kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
            targets = Set.copyOf(targets);
        }

        public boolean kindKnown() {
            return !kinds.isEmpty();
        }

        /** Only a development dependency: not part of any build of the depending package. */
        public boolean devOnly() {
            return kinds.size() == 1 && kinds.contains(DependencyKind.DEV);
        }

        /** The most significant kind for display: normal before build before dev; null when unknown. */
        public DependencyKind primaryKind() {
            return kinds.isEmpty() ? null : kinds.iterator().next();
        }
    }

    private final List<Node> nodes;
    private final List<List<Edge>> outgoing;
    private final List<List<Edge>> incoming;
    private final Map<PackageId, Node> byId;
    private final int[] depth;

    DependencyGraph(List<Node> nodes, List<List<Edge>> outgoing) {
        this.nodes = List.copyOf(nodes);
        this.outgoing = outgoing.stream().map(List::copyOf).toList();
        List<List<Edge>> in = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            in.add(new ArrayList<>());
        }
        for (List<Edge> edges : outgoing) {
            for (Edge edge : edges) {
                in.get(edge.to()).add(edge);
            }
        }
        this.incoming = in.stream().map(List::copyOf).toList();
        this.byId = new HashMap<>(nodes.size() * 2);
        for (Node node : nodes) {
            byId.put(node.id(), node);
        }
        this.depth = computeDepths();
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    public Node node(PackageId id) {
        return byId.get(id);
    }

    public List<Node> roots() {
        return nodes.stream().filter(Node::root).toList();
    }

    public List<Edge> dependencies(Node node) {
        return outgoing.get(node.index());
    }

    public List<Edge> dependents(Node node) {
        return incoming.get(node.index());
    }

    /**
     * Packages matching a Cargo package spec {@code name[@version]}, where the version may be partial ({@code syn@2}
     * matches every 2.x.y). Names match with '-' and '_' treated alike, as crates.io does. An empty result means no
     * such package is in the lockfile.
     */
    public List<Node> find(String spec) {
        int at = spec.indexOf('@');
        String name = (at < 0 ? spec : spec.substring(0, at)).replace('-', '_');
        String version = at < 0 ? null : spec.substring(at + 1);
        List<Node> matches = new ArrayList<>();
        for (Node node : nodes) {
            if (node.name().replace('-', '_').equals(name) && (version == null || versionMatches(node, version))) {
                matches.add(node);
            }
        }
        return matches;
    }

    private static boolean versionMatches(Node node, String partial) {
        String full = node.pkg().version().toString();
        return full.equals(partial) || full.startsWith(partial + ".") || full.startsWith(partial + "-")
                || full.startsWith(partial + "+");
    }

    /** Fewest edges from any root (0 for roots), or -1 when no root reaches the package. */
    /**
     * The graph of one platform: edges declared for other platforms are dropped, and so are the packages only they
     * reached. Edges whose conditions are not known (the depending manifest is not on this machine) stay.
     */
    public DependencyGraph forPlatform(TargetPlatform platform) {
        // Roots, and packages nothing depends on (Cargo would not have locked them otherwise): kept as they were.
        List<Node> starts = nodes.stream().filter(n -> n.root() || incoming.get(n.index()).isEmpty()).toList();
        return reachable(starts, edge -> applies(edge, platform), Node::root);
    }

    /** The graph of one package ({@code -p}): it is the only root, and only what it depends on stays. */
    public DependencyGraph rootedAt(Node start) {
        return reachable(List.of(start), edge -> true, node -> node.index() == start.index());
    }

    /** What {@code starts} reach along the edges {@code follow} accepts, renumbered; {@code root} marks the roots. */
    private DependencyGraph reachable(List<Node> starts, Predicate<Edge> follow, Predicate<Node> root) {
        boolean[] reached = new boolean[nodes.size()];
        Deque<Integer> queue = new ArrayDeque<>();
        for (Node node : starts) {
            reached[node.index()] = true;
            queue.add(node.index());
        }
        while (!queue.isEmpty()) {
            for (Edge edge : outgoing.get(queue.removeFirst())) {
                if (!reached[edge.to()] && follow.test(edge)) {
                    reached[edge.to()] = true;
                    queue.add(edge.to());
                }
            }
        }
        int[] renumbered = new int[nodes.size()];
        List<Node> kept = new ArrayList<>();
        for (Node node : nodes) {
            renumbered[node.index()] = reached[node.index()] ? kept.size() : -1;
            if (reached[node.index()]) {
                kept.add(new Node(kept.size(), node.pkg(), root.test(node), node.manifest()));
            }
        }
        List<List<Edge>> edges = new ArrayList<>();
        for (Node node : nodes) {
            if (reached[node.index()]) {
                edges.add(outgoing.get(node.index()).stream()
                        .filter(e -> renumbered[e.to()] >= 0 && follow.test(e))
                        .map(e -> new Edge(renumbered[e.from()], renumbered[e.to()], e.kinds(), e.targets()))
                        .toList());
            }
        }
        return new DependencyGraph(kept, edges);
    }

    private static boolean applies(Edge edge, TargetPlatform platform) {
        return edge.targets().isEmpty() || edge.targets().stream().anyMatch(platform::matches);
    }

    public int depth(Node node) {
        return depth[node.index()];
    }

    /**
     * Whether a path may continue along {@code edge}: dev-dependencies only count when taken straight from a root,
     * because Cargo builds a package's dev-dependencies only for workspace members under test.
     */
    public boolean traversable(Edge edge, boolean fromPathStart) {
        return !edge.devOnly() || fromPathStart && nodes.get(edge.from()).root();
    }

    private int[] computeDepths() {
        int[] result = new int[nodes.size()];
        Arrays.fill(result, -1);
        Deque<Integer> queue = new ArrayDeque<>();
        for (Node node : nodes) {
            if (node.root()) {
                result[node.index()] = 0;
                queue.add(node.index());
            }
        }
        while (!queue.isEmpty()) {
            int current = queue.removeFirst();
            for (Edge edge : outgoing.get(current)) {
                if (result[edge.to()] < 0 && traversable(edge, result[current] == 0)) {
                    result[edge.to()] = result[current] + 1;
                    queue.add(edge.to());
                }
            }
        }
        return result;
    }
}
