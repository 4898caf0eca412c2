package dev.warden.evaluate.weight;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ScannedCrates;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
     * @param lines     lines of Rust code of those (built code only: no tests, blank or comment lines)
     * @param buildCode how many of them run code at build time (build scripts, proc macros)
     * @param items     the items of it the workspace's code names ({@code dep::item}, {@code use dep::{…}}); null
     *                  when that cannot be counted (a glob import, a bare {@code use dep;})
     */
    public record Weight(DependencyGraph.Node dependency, List<DependencyGraph.Node> alone, long bytes, long lines,
                         int unread, int buildCode, long unsafe, Set<String> items) {

        public Weight {
            alone = List.copyOf(alone);
            items = items == null ? null : Set.copyOf(items);
        }

        /**
         * A dependency small enough to question: all it alone brings was read, runs nothing at build time, is under
         * {@value #TRIVIAL_LINES} lines of code, and the workspace uses at most {@value #FEW_ITEMS} of its items.
         */
        public boolean trivial() {
            return !alone.isEmpty() && unread == 0 && buildCode == 0 && lines < TRIVIAL_LINES
                    && (items == null || items.size() <= FEW_ITEMS);
        }
    }

    /** Code below this is what "write it yourself" means. */
    public static final long TRIVIAL_LINES = 150;
    /** Using this many items or fewer of a small crate is using it for a function or two. */
    public static final int FEW_ITEMS = 2;

    private DependencyWeight() {
    }

    /** Every third-party direct dependency of the workspace, heaviest (most crates alone) first. */
    public static List<Weight> of(DependencyGraph graph, ScannedCrates crates) {
        List<Path> members = new ArrayList<>();
        Map<String, Set<String>> identifiers = new HashMap<>();
        for (DependencyGraph.Node root : graph.roots()) {
            if (root.manifest() == null) {
                continue;
            }
            members.add(root.manifest().path().getParent());
            for (Dependency dependency : root.manifest().dependencies()) {
                identifiers.computeIfAbsent(dependency.packageName(), n -> new HashSet<>())
                        .add(dependency.name().replace('-', '_'));
            }
        }
        ItemsUsed used = ItemsUsed.in(members, identifiers.values().stream().flatMap(Set::stream).toList());
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
            long lines = 0;
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
                lines += scan.get().lines();
                unsafe += scan.get().unsafeTotal().total();
                buildCode += scan.get().hasBuildScript() || scan.get().procMacro() ? 1 : 0;
            }
            alone.sort(Comparator.comparing(DependencyGraph.Node::name));
            DependencyGraph.Node node = graph.node(dependency);
            weights.add(new Weight(node, alone, bytes, lines, unread, buildCode, unsafe,
                    items(used, identifiers.getOrDefault(node.name(), Set.of(node.name().replace('-', '_'))))));
        }
        weights.sort(Comparator.comparingInt((Weight w) -> -w.alone().size()).thenComparingLong(w -> -w.bytes()));
        return weights;
    }

    /** The items used through every name the dependency goes by; null when any of them cannot be counted. */
    private static Set<String> items(ItemsUsed used, Set<String> identifiers) {
        Set<String> items = new TreeSet<>();
        for (String identifier : identifiers) {
            Set<String> named = used.of(identifier);
            if (named == null) {
                return null;
            }
            items.addAll(named);
        }
        return items;
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
