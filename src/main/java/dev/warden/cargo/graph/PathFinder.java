package dev.warden.cargo.graph;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Answers "why is this package here": how many paths lead to it from the workspace members, and the paths
 * themselves, shortest first. A path may start with a dev-dependency edge only at a root (see
 * {@link DependencyGraph#traversable}). Counting is exact and linear in the graph even when the number of paths
 * runs into the billions, so a large workspace is answered in one call.
 */
public final class PathFinder {

    private final DependencyGraph graph;

    public PathFinder(DependencyGraph graph) {
        this.graph = graph;
    }

    /** The result of {@link #count}: exact unless the graph has a dependency cycle (then a lower bound). */
    public record PathCount(BigInteger value, boolean exact) {
    }

    public PathCount count(DependencyGraph.Node target) {
        BigInteger[] memo = new BigInteger[graph.nodes().size()];
        boolean[] onStack = new boolean[graph.nodes().size()];
        boolean[] cyclic = {false};
        BigInteger value = count(target.index(), memo, onStack, cyclic);
        return new PathCount(value, !cyclic[0]);
    }

    /** Paths ending at {@code index} that start at a root: itself if it is one, plus extensions through parents. */
    private BigInteger count(int index, BigInteger[] memo, boolean[] onStack, boolean[] cyclic) {
        if (memo[index] != null) {
            return memo[index];
        }
        onStack[index] = true;
        BigInteger total = graph.node(index).root() ? BigInteger.ONE : BigInteger.ZERO;
        for (DependencyGraph.Edge edge : graph.dependents(graph.node(index))) {
            if (edge.devOnly()) {
                if (graph.node(edge.from()).root()) {
                    total = total.add(BigInteger.ONE);
                }
            } else if (onStack[edge.from()]) {
                cyclic[0] = true;
            } else {
                total = total.add(count(edge.from(), memo, onStack, cyclic));
            }
        }
        onStack[index] = false;
        memo[index] = total;
        return total;
    }

    /**
     * Up to {@code limit} paths from a root to {@code target}, each listed root first, in order of length. A best-first
     * search backwards from the target, guided by each package's depth (its exact distance from the nearest root),
     * so it never enumerates paths it will not return.
     */
    public List<List<DependencyGraph.Node>> paths(DependencyGraph.Node target, int limit) {
        List<List<DependencyGraph.Node>> result = new ArrayList<>();
        if (graph.depth(target) < 0 || limit <= 0) {
            return result;
        }
        PriorityQueue<Partial> queue = new PriorityQueue<>(Comparator.comparingInt(Partial::estimate)
                .thenComparingLong(Partial::sequence));
        long[] sequence = {0};
        queue.add(new Partial(new Step(target.index(), null), 0, graph.depth(target), false, sequence[0]++));
        while (!queue.isEmpty() && result.size() < limit) {
            Partial partial = queue.poll();
            DependencyGraph.Node head = graph.node(partial.step().node());
            if (head.root()) {
                result.add(partial.step().toPath(graph));
            }
            if (partial.terminal()) {
                continue;
            }
            for (DependencyGraph.Edge edge : graph.dependents(head)) {
                DependencyGraph.Node parent = graph.node(edge.from());
                if (partial.step().contains(parent.index()) || graph.depth(parent) < 0) {
                    continue;
                }
                boolean devOnly = edge.devOnly();
                if (devOnly && !parent.root()) {
                    continue;
                }
                int length = partial.length() + 1;
                queue.add(new Partial(new Step(parent.index(), partial.step()), length,
                        length + (devOnly ? 0 : graph.depth(parent)), devOnly, sequence[0]++));
            }
        }
        return result;
    }

    /** A path under construction, from {@code node} down to the target, as a persistent linked list. */
    private record Step(int node, Step next) {

        boolean contains(int index) {
            for (Step s = this; s != null; s = s.next) {
                if (s.node == index) {
                    return true;
                }
            }
            return false;
        }

        List<DependencyGraph.Node> toPath(DependencyGraph graph) {
            List<DependencyGraph.Node> path = new ArrayList<>();
            for (Step s = this; s != null; s = s.next) {
                path.add(graph.node(s.node));
            }
            return path;
        }
    }

    /** {@code terminal}: reached through a dev-only edge, so the path must start here. */
    private record Partial(Step step, int length, int estimate, boolean terminal, long sequence) {
    }
}
