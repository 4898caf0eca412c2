package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.semver.VersionReq;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The features Cargo enables on each package when the workspace is built with its default features: unified over
 * the whole graph, every platform (as {@code cargo metadata} without {@code --filter-platform} reports them, and as
 * cargo-deny judges them), normal and build dependencies (development dependencies are not part of a build).
 * Read from each package's {@code [features]} table and its dependency declarations: {@code "f"}, {@code "dep:x"},
 * {@code "x/f"}, {@code "x?/f"} and the implicit feature of an optional dependency. A package whose manifest, or a
 * dependent's manifest, was not read has a lower bound only: {@link #complete} says so.
 */
public final class EnabledFeatures {

    private final DependencyGraph graph;
    private final Map<Integer, Set<String>> enabled = new HashMap<>();
    private final Map<Integer, Set<String>> activatedOptional = new HashMap<>();
    /** x?/f requests waiting for the optional dependency x of a package to be activated. */
    private final Map<Integer, Map<String, Set<String>>> weak = new HashMap<>();
    private final Set<Integer> reached = new HashSet<>();
    private final Set<Integer> incomplete = new HashSet<>();
    private final Deque<Runnable> work = new ArrayDeque<>();

    private EnabledFeatures(DependencyGraph graph) {
        this.graph = graph;
    }

    public static EnabledFeatures resolve(DependencyGraph graph) {
        EnabledFeatures features = new EnabledFeatures(graph);
        for (DependencyGraph.Node root : graph.roots()) {
            features.reach(root);
            features.request(root, "default");
        }
        while (!features.work.isEmpty()) {
            features.work.poll().run();
        }
        features.markIncomplete();
        return features;
    }

    /** The features enabled on the package, sorted ({@code default} among them when it is). */
    public Set<String> of(DependencyGraph.Node node) {
        return Collections.unmodifiableSet(new TreeSet<>(enabled.getOrDefault(node.index(), Set.of())));
    }

    /** Whether the package is built at all in a default build of the workspace. */
    public boolean built(DependencyGraph.Node node) {
        return reached.contains(node.index());
    }

    /** Whether every manifest that decides the package's features was read. */
    public boolean complete(DependencyGraph.Node node) {
        return !incomplete.contains(node.index());
    }

    private void reach(DependencyGraph.Node node) {
        if (!reached.add(node.index())) {
            return;
        }
        Manifest manifest = node.manifest();
        if (manifest == null) {
            return;
        }
        for (Dependency dependency : manifest.dependencies()) {
            if (!dependency.optional() && dependency.kind() != DependencyKind.DEV) {
                work.add(() -> activate(node, dependency));
            }
        }
    }

    private void activate(DependencyGraph.Node from, Dependency dependency) {
        Optional<DependencyGraph.Node> target = target(from, dependency);
        if (target.isEmpty()) {
            return;
        }
        reach(target.get());
        if (dependency.defaultFeatures()) {
            request(target.get(), "default");
        }
        dependency.features().forEach(feature -> request(target.get(), feature));
    }

    private void request(DependencyGraph.Node node, String feature) {
        Manifest manifest = node.manifest();
        if (manifest == null) {
            enabled.computeIfAbsent(node.index(), i -> new HashSet<>()).add(feature);
            return;
        }
        if ("default".equals(feature) && !manifest.features().containsKey("default")) {
            return; // a crate without a default feature has nothing to enable
        }
        if (!enabled.computeIfAbsent(node.index(), i -> new HashSet<>()).add(feature)) {
            return;
        }
        List<String> enables = manifest.features().get(feature);
        if (enables == null) {
            enableOptional(node, feature); // the implicit feature of an optional dependency
            return;
        }
        for (String entry : enables) {
            work.add(() -> expand(node, entry));
        }
    }

    private void expand(DependencyGraph.Node node, String entry) {
        if (entry.startsWith("dep:")) {
            enableOptional(node, entry.substring(4));
            return;
        }
        int slash = entry.indexOf('/');
        if (slash < 0) {
            request(node, entry);
            return;
        }
        String dependency = entry.substring(0, slash);
        String feature = entry.substring(slash + 1);
        if (dependency.endsWith("?")) {
            String name = dependency.substring(0, dependency.length() - 1);
            if (activatedOptional.getOrDefault(node.index(), Set.of()).contains(name) || required(node, name)) {
                forward(node, name, feature);
            } else {
                weak.computeIfAbsent(node.index(), i -> new HashMap<>()).computeIfAbsent(name, n -> new HashSet<>())
                        .add(feature);
            }
            return;
        }
        if (!required(node, dependency)) {
            // "x/f" turns on the optional dependency x, and its implicit feature unless "dep:x" hides it
            if (node.manifest().features().values().stream().flatMap(List::stream)
                    .noneMatch(e -> e.equals("dep:" + dependency))) {
                request(node, dependency);
            } else {
                enableOptional(node, dependency);
            }
        }
        forward(node, dependency, feature);
    }

    private boolean required(DependencyGraph.Node node, String name) {
        return node.manifest().dependencies().stream().anyMatch(d -> d.name().equals(name) && !d.optional()
                && d.kind() != DependencyKind.DEV);
    }

    private void forward(DependencyGraph.Node node, String name, String feature) {
        for (Dependency dependency : node.manifest().dependencies()) {
            if (dependency.name().equals(name) && dependency.kind() != DependencyKind.DEV) {
                target(node, dependency).ifPresent(target -> request(target, feature));
            }
        }
    }

    private void enableOptional(DependencyGraph.Node node, String name) {
        if (!activatedOptional.computeIfAbsent(node.index(), i -> new HashSet<>()).add(name)) {
            return;
        }
        for (Dependency dependency : node.manifest().dependencies()) {
            if (dependency.optional() && dependency.name().equals(name) && dependency.kind() != DependencyKind.DEV) {
                work.add(() -> activate(node, dependency));
            }
        }
        Set<String> waiting = weak.getOrDefault(node.index(), Map.of()).getOrDefault(name, Set.of());
        for (String feature : waiting) {
            work.add(() -> forward(node, name, feature));
        }
    }

    /** The locked package a declaration resolved to: its name, and the version its requirement accepts. */
    private Optional<DependencyGraph.Node> target(DependencyGraph.Node from, Dependency dependency) {
        List<DependencyGraph.Node> named = graph.dependencies(from).stream().map(e -> graph.node(e.to()))
                .filter(n -> n.name().equals(dependency.packageName())).distinct().toList();
        if (named.size() <= 1 || dependency.versionReq() == null) {
            return named.stream().findFirst();
        }
        try {
            VersionReq req = VersionReq.parse(dependency.versionReq());
            return named.stream().filter(n -> req.matches(n.pkg().version())).findFirst()
                    .or(() -> named.stream().findFirst());
        } catch (RuntimeException e) {
            return named.stream().findFirst();
        }
    }

    /** A package is only known in part when it, or any package that builds it, has no manifest here. */
    private void markIncomplete() {
        Deque<DependencyGraph.Node> unknown = new ArrayDeque<>();
        for (DependencyGraph.Node node : graph.nodes()) {
            if (node.manifest() == null) {
                unknown.add(node);
            }
        }
        while (!unknown.isEmpty()) {
            DependencyGraph.Node node = unknown.poll();
            if (incomplete.add(node.index())) {
                for (DependencyGraph.Edge edge : graph.dependencies(node)) {
                    unknown.add(graph.node(edge.to()));
                }
            }
        }
    }
}
