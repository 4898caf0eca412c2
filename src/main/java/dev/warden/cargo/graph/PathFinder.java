package dev.warden.cargo.graph;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
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

    /**
     * Counts simple paths from the roots to {@code target}. Paths made of normal/build edges are counted by dynamic
     * programming over that sub-graph, which Cargo keeps acyclic. A path may also start with a root's dev-dependency
     * edge {@code r→m}; those are the paths from {@code m} that do not come back through {@code r} (dev-dependency
     * cycles are legal: a member may dev-depend on a crate that depends on the member), i.e.
     * {@code paths(m→target) − paths(m→r)·paths(r→target)}. Without manifests edge kinds are unknown and cycles
     * possible; a cycle makes the count a lower bound.
     */
    public PathCount count(DependencyGraph.Node target) {
        Counter toTarget = new Counter(target.index());
        BigInteger total = BigInteger.ZERO;
        for (DependencyGraph.Node root : graph.roots()) {
            total = total.add(toTarget.from(root.index()));
        }
        boolean exact = true;
        for (DependencyGraph.Node root : graph.roots()) {
            Counter toRoot = null;
            for (DependencyGraph.Edge edge : graph.dependencies(root)) {
                if (!edge.devOnly()) {
                    continue;
                }
                if (toRoot == null) {
                    toRoot = new Counter(root.index());
                }
                BigInteger returning = toRoot.from(edge.to()).multiply(toTarget.from(root.index()));
                total = total.add(toTarget.from(edge.to()).subtract(returning));
            }
            exact &= toRoot == null || !toRoot.cyclic;
        }
        return new PathCount(total, exact && !toTarget.cyclic);
    }

    /** Memoised counts of non-dev paths from any package to one destination. */
    private final class Counter {

        private final int destination;
        private final BigInteger[] memo = new BigInteger[graph.nodes().size()];
        private final boolean[] onStack = new boolean[graph.nodes().size()];
        boolean cyclic;

        Counter(int destination) {
            this.destination = destination;
        }

        /**
         * Depth-first with an explicit stack rather than recursion: a dependency chain thousands of crates long
         * (generated crates, a hostile lockfile) must not overflow the thread's stack.
         */
        BigInteger from(int start) {
            if (memo[start] != null) {
                return memo[start];
            }
            Deque<Frame> stack = new ArrayDeque<>();
            stack.push(enter(start));
            while (!stack.isEmpty()) {
                Frame frame = stack.peek();
                if (frame.next < frame.edges.size()) {
                    DependencyGraph.Edge edge = frame.edges.get(frame.next++);
                    int to = edge.to();
                    if (edge.devOnly()) {
                        continue;
                    }
                    if (onStack[to]) {
                        cyclic = true;
                    } else if (memo[to] != null) {
                        frame.total = frame.total.add(memo[to]);
                    } else {
                        stack.push(enter(to));
                    }
                    continue;
                }
                stack.pop();
                onStack[frame.index] = false;
                memo[frame.index] = frame.total;
                if (!stack.isEmpty()) {
                    stack.peek().total = stack.peek().total.add(frame.total);
                }
            }
            return memo[start];
        }

        /** Starts a package: the destination counts one path and has nothing below it to visit. */
        private Frame enter(int index) {
            if (index == destination) {
                return new Frame(index, List.of(), BigInteger.ONE);
            }
            onStack[index] = true;
            return new Frame(index, graph.dependencies(graph.node(index)), BigInteger.ZERO);
        }
    }

    /** One package on the depth-first stack: the edge to follow next, and the paths counted below it so far. */
    private static final class Frame {

        final int index;
        final List<DependencyGraph.Edge> edges;
        int next;
        BigInteger total;

        Frame(int index, List<DependencyGraph.Edge> edges, BigInteger total) {
            this.index = index;
            this.edges = edges;
            this.total = total;
        }
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
