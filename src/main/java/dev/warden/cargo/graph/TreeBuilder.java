package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.DependencyKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lays a {@link DependencyGraph} out as trees the way {@code cargo tree} does: one tree per root, children grouped
 * normal, then build, then dev, each package expanded only once per tree ({@code (*)} afterwards), optionally
 * inverted (a package's dependents instead of its dependencies) and cut at a depth.
 */
public final class TreeBuilder {

    private final DependencyGraph graph;
    private final EdgeFilter filter;
    private final int maxDepth;
    private final boolean inverted;
    private final Set<Integer> expanded = new HashSet<>();

    /** {@code maxDepth} &lt; 0 means unlimited. */
    public TreeBuilder(DependencyGraph graph, EdgeFilter filter, int maxDepth, boolean inverted) {
        this.graph = graph;
        this.filter = filter;
        this.maxDepth = maxDepth;
        this.inverted = inverted;
    }

    /** Trees for the given tops (the roots, or the packages to invert on). */
    public List<TreeNode> build(List<DependencyGraph.Node> tops) {
        List<TreeNode> trees = new ArrayList<>();
        for (DependencyGraph.Node top : tops.stream().sorted(Comparator.comparing(DependencyGraph.Node::id)).toList()) {
            expanded.clear();
            trees.add(expand(top, null, true, 0, true));
        }
        return trees;
    }

    /**
     * Expands one tree depth-first, in the order {@code cargo tree} prints it, with an explicit stack: a dependency
     * chain thousands of crates deep must not overflow the thread's stack.
     */
    private TreeNode expand(DependencyGraph.Node top, DependencyKind topKind, boolean topKindKnown, int topDepth,
                            boolean topPathStart) {
        expanded.add(top.index());
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(top, topKind, topKindKnown, topDepth, children(top, topDepth, topPathStart)));
        TreeNode done = null;
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.next < frame.pending.size()) {
                Child child = frame.pending.get(frame.next++);
                if (child.leaf()) {
                    frame.built.add(new TreeNode(child.node(), child.kind(), child.kindKnown(), false, List.of()));
                } else if (!expanded.add(child.node().index())) {
                    boolean hasChildren = !(inverted ? graph.dependents(child.node())
                            : graph.dependencies(child.node())).isEmpty();
                    frame.built.add(new TreeNode(child.node(), child.kind(), child.kindKnown(), hasChildren,
                            List.of()));
                } else {
                    stack.push(new Frame(child.node(), child.kind(), child.kindKnown(), frame.depth + 1,
                            children(child.node(), frame.depth + 1, false)));
                }
                continue;
            }
            stack.pop();
            TreeNode built = new TreeNode(frame.node, frame.kind, frame.kindKnown, false, frame.built);
            if (stack.isEmpty()) {
                done = built;
            } else {
                stack.peek().built.add(built);
            }
        }
        return done;
    }

    /** A package being expanded: the children still to visit and those already laid out. */
    private static final class Frame {

        final DependencyGraph.Node node;
        final DependencyKind kind;
        final boolean kindKnown;
        final int depth;
        final List<Child> pending;
        final List<TreeNode> built = new ArrayList<>();
        int next;

        Frame(DependencyGraph.Node node, DependencyKind kind, boolean kindKnown, int depth, List<Child> pending) {
            this.node = node;
            this.kind = kind;
            this.kindKnown = kindKnown;
            this.depth = depth;
            this.pending = pending;
        }
    }

    /** @param leaf shown without expanding (an inverted dev-dependency edge) */
    private record Child(DependencyGraph.Node node, DependencyKind kind, boolean kindKnown, boolean leaf) {
    }

    /** A package's children in display order: grouped normal, build, dev; within a group by package id. */
    private List<Child> children(DependencyGraph.Node node, int depth, boolean pathStart) {
        List<Child> children = new ArrayList<>();
        if (maxDepth >= 0 && depth >= maxDepth) {
            return children;
        }
        for (DependencyKind section : DependencyKind.values()) {
            for (DependencyGraph.Edge edge : sorted(inverted ? graph.dependents(node) : graph.dependencies(node))) {
                if (!filter.sections(edge).contains(section)) {
                    continue;
                }
                // Dev-dependencies only matter straight from a workspace member, and never propagate further.
                boolean devOnly = edge.devOnly() || section == DependencyKind.DEV;
                DependencyGraph.Node next = graph.node(inverted ? edge.from() : edge.to());
                if (devOnly && !(inverted ? next.root() : pathStart && node.root())) {
                    continue;
                }
                children.add(new Child(next, section, edge.kindKnown(), inverted && devOnly));
            }
        }
        return children;
    }

    private List<DependencyGraph.Edge> sorted(List<DependencyGraph.Edge> edges) {
        return edges.stream()
                .sorted(Comparator.comparing(e -> graph.node(inverted ? e.from() : e.to()).id()))
                .toList();
    }
}
