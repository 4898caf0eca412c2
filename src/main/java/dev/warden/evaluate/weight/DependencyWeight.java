package dev.warden.evaluate.weight;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ScannedCrates;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What each direct dependency weighs: the crates it alone brings (those no other direct dependency also needs, so
 * removing it removes them), their Rust source, build scripts, proc macros and unsafe — the facts behind "is it worth
 * it, or would twenty lines of our own do?".
 */
public final class DependencyWeight {

    /**
     * One direct dependency.
     *
     * @param alone     the crates it alone brings, itself included (empty when another direct dependency needs it too)
     * @param bytes     Rust source bytes of those whose code was read
     * @param unread    of those, how many could not be read (their size is unknown, never counted as nothing)
     * @param buildCode how many of them run code at build time (build scripts, proc macros)
     */
    public record Weight(DependencyGraph.Node dependency, List<DependencyGraph.Node> alone, long bytes, int unread,
                         int buildCode, long unsafe) {

        public Weight {
            alone = List.copyOf(alone);
        }

        /** A dependency small enough to question: it brings nothing else, little code, no build-time code. */
        public boolean trivial() {
            return alone.size() == 1 && alone.getFirst() == dependency && unread == 0 && buildCode == 0 && bytes < TRIVIAL_BYTES;
        }
    }

    /** Rust source below this (about 150 lines) is what "write it yourself" means. */
    public static final long TRIVIAL_BYTES = 6 * 1024;

    private DependencyWeight() {
    }

    /** Every third-party direct dependency of the workspace, heaviest (most crates alone) first. */
    public static List<Weight> of(DependencyGraph graph, ScannedCrates crates) {
        Set<Integer> direct = new LinkedHashSet<>();
        for (DependencyGraph.Node root : graph.roots()) {
            for (DependencyGraph.Edge edge : graph.dependencies(root)) {
                DependencyGraph.Node to = graph.node(edge.to());
                if (!to.root() && to.pkg().source() != null) {
                    direct.add(to.index());
                }
            }
        }
        List<Weight> weights = new ArrayList<>();
        for (int dependency : direct) {
            Set<Integer> others = new LinkedHashSet<>(direct);
            others.remove(dependency);
            Set<Integer> without = reach(graph, others);
            Set<Integer> with = reach(graph, Set.of(dependency));
            List<DependencyGraph.Node> alone = new ArrayList<>();
            long bytes = 0;
            long unsafe = 0;
            int unread = 0;
            int buildCode = 0;
            for (int index : with) {
                if (without.contains(index)) {
                    continue;
                }
                DependencyGraph.Node node = graph.node(index);
                alone.add(node);
                Optional<CrateScan> scan = crates.scan(node.pkg());
                if (scan.isEmpty()) {
                    unread++;
                    continue;
                }
                bytes += scan.get().bytes();
                unsafe += scan.get().unsafeTotal().total();
                buildCode += scan.get().hasBuildScript() || scan.get().procMacro() ? 1 : 0;
            }
            alone.sort(Comparator.comparing(DependencyGraph.Node::name));
            weights.add(new Weight(graph.node(dependency), alone, bytes, unread, buildCode, unsafe));
        }
        weights.sort(Comparator.comparingInt((Weight w) -> -w.alone().size()).thenComparingLong(w -> -w.bytes()));
        return weights;
    }

    /** The third-party crates the given ones reach, themselves included. */
    private static Set<Integer> reach(DependencyGraph graph, Set<Integer> starts) {
        Set<Integer> reached = new HashSet<>(starts);
        Deque<Integer> pending = new ArrayDeque<>(starts);
        while (!pending.isEmpty()) {
            for (DependencyGraph.Edge edge : graph.dependencies(graph.node(pending.removeFirst()))) {
                if (!graph.node(edge.to()).root() && reached.add(edge.to())) {
                    pending.add(edge.to());
                }
            }
        }
        return reached;
    }
}
