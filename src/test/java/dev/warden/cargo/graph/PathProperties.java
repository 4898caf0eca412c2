package dev.warden.cargo.graph;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.semver.Version;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact path count and the best-first path listing agree with brute-force enumeration on random graphs. */
class PathProperties {

    /**
     * A random graph: normal edges go from node i to any j &gt; i (Cargo keeps normal/build edges acyclic); the
     * first {@code roots} nodes are workspace members and may also have dev-dependency edges to any node, which can
     * close cycles, as dev-dependencies legally do.
     */
    record RandomGraph(int size, int roots, List<int[]> edges, List<int[]> devEdges) {

        DependencyGraph build() {
            List<DependencyGraph.Node> nodes = new ArrayList<>();
            List<List<DependencyGraph.Edge>> outgoing = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                PackageId id = new PackageId("p" + i, Version.parse("1.0.0"), null);
                nodes.add(new DependencyGraph.Node(i, new LockedPackage(id, null, List.of(), null, i), i < roots, null));
                outgoing.add(new ArrayList<>());
            }
            for (int[] e : edges) {
                outgoing.get(e[0]).add(new DependencyGraph.Edge(e[0], e[1], Set.of(DependencyKind.NORMAL), Set.of()));
            }
            for (int[] e : devEdges) {
                outgoing.get(e[0]).add(new DependencyGraph.Edge(e[0], e[1], Set.of(DependencyKind.DEV), Set.of()));
            }
            return new DependencyGraph(nodes, outgoing);
        }
    }

    @Provide
    Arbitrary<RandomGraph> graphs() {
        return Arbitraries.integers().between(2, 12).flatMap(size -> Arbitraries.integers().between(1, size).flatMap(
                roots -> {
                    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> normal = Arbitraries.integers().between(0, size - 1)
                            .tuple2().filter(t -> t.get1() < t.get2()).list().ofMaxSize(size * 3);
                    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> dev = Arbitraries.integers().between(0, size - 1)
                            .tuple2().filter(t -> t.get1() < roots && !t.get1().equals(t.get2())).list().ofMaxSize(4);
                    return normal.flatMap(n -> dev.map(d -> new RandomGraph(size, roots, edges(n, Set.of()),
                            edges(d, new HashSet<>(n)))));
                }));
    }

    /** Distinct edges, leaving out pairs already joined by another edge (one edge per package pair, as in Cargo). */
    private static List<int[]> edges(List<Tuple.Tuple2<Integer, Integer>> pairs,
                                     Set<Tuple.Tuple2<Integer, Integer>> taken) {
        Set<Tuple.Tuple2<Integer, Integer>> seen = new HashSet<>(taken);
        List<int[]> edges = new ArrayList<>();
        for (Tuple.Tuple2<Integer, Integer> pair : pairs) {
            if (seen.add(pair)) {
                edges.add(new int[] {pair.get1(), pair.get2()});
            }
        }
        return edges;
    }

    /** Every simple path from {@code node}; a dev-dependency edge may only be the first edge of a path. */
    private static void enumerate(DependencyGraph graph, DependencyGraph.Node node, DependencyGraph.Node target,
                                  List<DependencyGraph.Node> path, List<List<DependencyGraph.Node>> out) {
        path.add(node);
        if (node.equals(target)) {
            out.add(List.copyOf(path));
        }
        for (DependencyGraph.Edge edge : graph.dependencies(node)) {
            DependencyGraph.Node next = graph.node(edge.to());
            if (!path.contains(next) && (!edge.devOnly() || path.size() == 1)) {
                enumerate(graph, next, target, path, out);
            }
        }
        path.removeLast();
    }

    @Property(tries = 300)
    void countAndPathsMatchBruteForce(@ForAll("graphs") RandomGraph random, @ForAll("limits") int limit) {
        DependencyGraph graph = random.build();
        PathFinder finder = new PathFinder(graph);
        for (DependencyGraph.Node target : graph.nodes()) {
            List<List<DependencyGraph.Node>> all = new ArrayList<>();
            for (DependencyGraph.Node root : graph.roots()) {
                enumerate(graph, root, target, new ArrayList<>(), all);
            }
            PathFinder.PathCount count = finder.count(target);
            assertThat(count.exact()).isTrue();
            assertThat(count.value()).isEqualTo(BigInteger.valueOf(all.size()));
            List<List<DependencyGraph.Node>> listed = finder.paths(target, limit);
            assertThat(listed).hasSize(Math.min(limit, all.size()));
            assertThat(all).containsAll(listed);
            assertThat(new HashSet<>(listed)).hasSameSizeAs(listed);
            assertThat(listed.stream().map(List::size).toList()).isSorted();
            if (!listed.isEmpty()) {
                int shortest = all.stream().mapToInt(List::size).min().orElseThrow();
                assertThat(listed.getFirst()).hasSize(shortest);
                assertThat(shortest - 1).isEqualTo(graph.depth(target));
            } else {
                assertThat(graph.depth(target)).isEqualTo(-1);
            }
        }
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(1, 40);
    }
}
