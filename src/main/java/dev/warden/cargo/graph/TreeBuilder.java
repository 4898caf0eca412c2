package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.DependencyKind;

import java.util.ArrayList;
import java.util.Comparator;
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

    private TreeNode expand(DependencyGraph.Node node, DependencyKind kind, boolean kindKnown, int depth,
                            boolean pathStart) {
        if (!expanded.add(node.index())) {
            boolean hasChildren = !(inverted ? graph.dependents(node) : graph.dependencies(node)).isEmpty();
            return new TreeNode(node, kind, kindKnown, hasChildren, List.of());
        }
        List<TreeNode> children = new ArrayList<>();
        if (maxDepth < 0 || depth < maxDepth) {
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
                    if (inverted && devOnly) {
                        children.add(new TreeNode(next, section, edge.kindKnown(), false, List.of()));
                    } else {
                        children.add(expand(next, section, edge.kindKnown(), depth + 1, false));
                    }
                }
            }
        }
        return new TreeNode(node, kind, kindKnown, false, children);
    }

    private List<DependencyGraph.Edge> sorted(List<DependencyGraph.Edge> edges) {
        return edges.stream()
                .sorted(Comparator.comparing(e -> graph.node(inverted ? e.from() : e.to()).id()))
                .toList();
    }
}
