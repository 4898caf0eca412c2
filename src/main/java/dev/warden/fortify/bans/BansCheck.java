package dev.warden.fortify.bans;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.EnabledFeatures;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code [bans]}, as cargo-deny's bans check: denied crates (unless every crate using one is among its wrappers),
 * crates outside a non-empty allow list, several versions of one crate (minus {@code skip} and {@code skip-tree}),
 * {@code *} requirements in the workspace's manifests, and features ({@code [[bans.features]]}, default features). {@code deny} levels block, {@code warn} levels show.
 * With a base, only what the change brings is judged (a duplicate when the change brings one of its versions).
 */
public final class BansCheck implements Check {

    public static final Rule BANNED = new Rule("banned-crate", Stage.FORTIFY, Severity.HIGH,
            "A crate [bans] deny lists is in the graph.");
    public static final Rule NOT_ALLOWED = new Rule("crate-not-allowed", Stage.FORTIFY, Severity.HIGH,
            "A crate is missing from the [bans] allow list.");
    public static final Rule DUPLICATE = new Rule("duplicate-versions", Stage.FORTIFY, Severity.LOW,
            "More than one version of a crate is in the graph.");
    public static final Rule WILDCARD = new Rule("wildcard-dependency", Stage.FORTIFY, Severity.LOW,
            "A workspace manifest accepts any version of a dependency (*).");
    public static final Rule UNMATCHED_SKIP = new Rule("unmatched-skip", Stage.FORTIFY, Severity.LOW,
            "A [bans] skip entry matches no crate in the graph.");
    public static final Rule FEATURE_BANNED = new Rule("feature-banned", Stage.FORTIFY, Severity.HIGH,
            "A feature [[bans.features]] denies is enabled on a crate.");
    public static final Rule FEATURE_NOT_ALLOWED = new Rule("feature-not-allowed", Stage.FORTIFY, Severity.HIGH,
            "A crate has a feature enabled that its [[bans.features]] allow list does not name.");
    public static final Rule FEATURE_NOT_ENABLED = new Rule("feature-allowed-not-enabled", Stage.FORTIFY,
            Severity.HIGH, "An exact [[bans.features]] entry allows a feature the crate does not have enabled.");
    public static final Rule DEFAULT_FEATURES = new Rule("default-features-enabled", Stage.FORTIFY, Severity.LOW,
            "A crate is built with its default features, which [bans] default-features levels flag.");
    public static final Rule FEATURES_UNVERIFIED = new Rule("features-unverified", Stage.FORTIFY, Severity.MEDIUM,
            "A crate's enabled features are not known: a manifest deciding them was not read here.");
    public static final List<Rule> RULES = List.of(BANNED, NOT_ALLOWED, DUPLICATE, WILDCARD, UNMATCHED_SKIP,
            FEATURE_BANNED, FEATURE_NOT_ALLOWED, FEATURE_NOT_ENABLED, DEFAULT_FEATURES, FEATURES_UNVERIFIED);

    private final BansPolicy policy;
    private final String policyFile;

    /** @param policyFile how evidence names the policy file (for entries of it that match nothing) */
    public BansCheck(BansPolicy policy, String policyFile) {
        this.policy = policy;
        this.policyFile = policyFile;
    }

    @Override
    public String name() {
        return "bans";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        Project project = context.project();
        DependencyGraph graph = context.graph();
        String lockfile = project.display(project.lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (DependencyGraph.Node node : graph.nodes()) {
            LockedPackage pkg = node.pkg();
            if (!context.change().brings(pkg)) {
                continue;
            }
            Evidence at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            for (BansPolicy.Ban ban : policy.deny()) {
                if (!ban.crate().matches(pkg)) {
                    continue;
                }
                Set<String> users = new LinkedHashSet<>();
                graph.dependents(node).forEach(e -> users.add(graph.node(e.from()).name()));
                Set<String> outside = new LinkedHashSet<>(users);
                outside.removeAll(ban.wrappers());
                if (!ban.wrappers().isEmpty() && outside.isEmpty()) {
                    continue; // only its wrappers use it, which is what the ban allows
                }
                findings.add(finding(BANNED, Severity.HIGH, pkg, pkg.name() + " " + pkg.version() + " is denied by "
                        + "[bans] (" + ban.crate().written() + ")" + (ban.reason() == null ? "" : ": " + ban.reason())
                        + (ban.wrappers().isEmpty() ? "" : "; used by " + String.join(", ", outside) + ", not one of "
                        + "its wrappers (" + String.join(", ", ban.wrappers()) + ")"), at));
            }
            if (!policy.allow().isEmpty() && !node.root() && pkg.source() != null
                    && policy.allow().stream().noneMatch(spec -> spec.matches(pkg))) {
                findings.add(finding(NOT_ALLOWED, Severity.HIGH, pkg, pkg.name() + " " + pkg.version()
                        + " is not in the [bans] allow list", at));
            }
        }
        duplicates(context, lockfile, findings);
        wildcards(project, findings);
        features(context, lockfile, findings);
        return findings;
    }

    /** {@code [[bans.features]]} and the default-features levels, on the features a default build enables. */
    private void features(CheckContext context, String lockfile, List<Finding> findings) {
        if (policy.features().isEmpty() && policy.externalDefaultFeatures() == BansPolicy.Level.ALLOW
                && policy.workspaceDefaultFeatures() == BansPolicy.Level.ALLOW) {
            return;
        }
        DependencyGraph graph = context.graph();
        EnabledFeatures enabled = EnabledFeatures.resolve(graph);
        for (DependencyGraph.Node node : graph.nodes()) {
            LockedPackage pkg = node.pkg();
            if (!context.change().brings(pkg) || !enabled.built(node)) {
                continue;
            }
            Evidence at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            Set<String> on = enabled.of(node);
            List<BansPolicy.Features> rules = policy.features().stream().filter(f -> f.crate().matches(pkg)).toList();
            BansPolicy.Level defaults = node.root() ? policy.workspaceDefaultFeatures()
                    : policy.externalDefaultFeatures();
            if (rules.isEmpty() && defaults == BansPolicy.Level.ALLOW) {
                continue;
            }
            if (!enabled.complete(node)) {
                findings.add(finding(FEATURES_UNVERIFIED, FEATURES_UNVERIFIED.defaultSeverity(), pkg,
                        pkg.id().nameAndVersion() + ": its features were not checked, a manifest that decides them "
                        + "was not read here (at least " + (on.isEmpty() ? "none" : String.join(", ", on))
                        + " enabled)", at));
                continue;
            }
            for (BansPolicy.Features rule : rules) {
                List<String> denied = on.stream().filter(rule.deny()::contains).toList();
                if (!denied.isEmpty()) {
                    findings.add(finding(FEATURE_BANNED, Severity.HIGH, pkg, pkg.id().nameAndVersion() + " has "
                            + features(denied) + " enabled that [[bans.features]] denies", at));
                }
                if (!rule.allow().isEmpty()) {
                    List<String> outside = on.stream().filter(f -> !rule.allow().contains(f)
                            && !rule.deny().contains(f)).toList();
                    if (!outside.isEmpty()) {
                        findings.add(finding(FEATURE_NOT_ALLOWED, Severity.HIGH, pkg, pkg.id().nameAndVersion()
                                + " has " + features(outside) + " enabled that [[bans.features]] does not allow", at));
                    }
                }
                if (rule.exact()) {
                    List<String> off = rule.allow().stream().distinct().filter(f -> !on.contains(f)).toList();
                    if (!off.isEmpty()) {
                        findings.add(finding(FEATURE_NOT_ENABLED, Severity.HIGH, pkg, pkg.id().nameAndVersion()
                                + " does not have " + features(off) + " enabled, which its exact [[bans.features]] "
                                + "entry allows", at));
                    }
                }
            }
            boolean allowedByRule = rules.stream().anyMatch(r -> r.allow().contains("default"));
            if (defaults != BansPolicy.Level.ALLOW && on.contains("default") && !allowedByRule) {
                findings.add(finding(DEFAULT_FEATURES, defaults.severity(), pkg, pkg.id().nameAndVersion()
                        + " is built with its default features (" + (node.root() ? "workspace" : "external")
                        + "-default-features = \"" + defaults.name().toLowerCase(java.util.Locale.ROOT) + "\")", at));
            }
        }
    }

    private static String features(List<String> names) {
        return (names.size() == 1 ? "feature " : "features ") + String.join(", ", names);
    }

    private void duplicates(CheckContext context, String lockfile, List<Finding> findings) {
        DependencyGraph graph = context.graph();
        Set<DependencyGraph.Node> skipped = new HashSet<>();
        Set<BansPolicy.Spec> used = new HashSet<>();
        for (DependencyGraph.Node node : graph.nodes()) {
            for (BansPolicy.Spec spec : policy.skip()) {
                if (spec.matches(node.pkg())) {
                    skipped.add(node);
                    used.add(spec);
                }
            }
            for (BansPolicy.SkipTree tree : policy.skipTree()) {
                if (tree.root().matches(node.pkg())) {
                    used.add(tree.root());
                    skipped.addAll(within(graph, node, tree.depth()));
                }
            }
        }
        if (policy.multipleVersions() != BansPolicy.Level.ALLOW) {
            Map<String, List<DependencyGraph.Node>> byName = new LinkedHashMap<>();
            for (DependencyGraph.Node node : graph.nodes()) {
                if (node.pkg().source() != null) {
                    byName.computeIfAbsent(node.name(), k -> new ArrayList<>()).add(node);
                }
            }
            byName.forEach((name, nodes) -> {
                List<DependencyGraph.Node> counted = nodes.stream().filter(n -> !skipped.contains(n)).toList();
                boolean brought = counted.stream().anyMatch(n -> context.change().brings(n.pkg()));
                if (nodes.size() > 1 && counted.size() > 1 && brought) {
                    findings.add(new Finding(DUPLICATE, policy.multipleVersions().severity(), name, null, counted.size()
                            + " versions of " + name + " are in the graph (" + String.join(", ", counted.stream()
                            .map(n -> n.pkg().version().toString()).toList()) + ")", counted.stream()
                            .map(n -> new Evidence(lockfile, n.pkg().line(), n.pkg().id().nameAndVersion())).toList(),
                            Map.of()));
                }
            });
        }
        List<BansPolicy.Spec> all = new ArrayList<>(policy.skip());
        policy.skipTree().forEach(t -> all.add(t.root()));
        for (BansPolicy.Spec spec : all) {
            if (!used.contains(spec)) {
                findings.add(new Finding(UNMATCHED_SKIP, UNMATCHED_SKIP.defaultSeverity(), spec.name(), null,
                        "the [bans] skip entry " + spec.written() + " matches no crate in the graph: remove it",
                        List.of(new Evidence(policyFile, spec.line(), spec.written())), Map.of()));
            }
        }
    }

    /** A node and what it reaches within {@code depth} edges. */
    private static Set<DependencyGraph.Node> within(DependencyGraph graph, DependencyGraph.Node start, int depth) {
        Set<DependencyGraph.Node> reached = new LinkedHashSet<>();
        Deque<Map.Entry<DependencyGraph.Node, Integer>> pending = new ArrayDeque<>();
        pending.add(Map.entry(start, 0));
        reached.add(start);
        while (!pending.isEmpty()) {
            Map.Entry<DependencyGraph.Node, Integer> next = pending.removeFirst();
            if (next.getValue() >= depth) {
                continue;
            }
            for (DependencyGraph.Edge edge : graph.dependencies(next.getKey())) {
                DependencyGraph.Node to = graph.node(edge.to());
                if (reached.add(to)) {
                    pending.add(Map.entry(to, next.getValue() + 1));
                }
            }
        }
        return reached;
    }

    private void wildcards(Project project, List<Finding> findings) {
        if (policy.wildcards() == BansPolicy.Level.ALLOW) {
            return;
        }
        for (Manifest manifest : project.members()) {
            for (Dependency dependency : manifest.dependencies()) {
                boolean path = dependency.isPath() && !dependency.isGit();
                boolean star = dependency.versionReq() == null ? !(path && policy.allowWildcardPaths())
                        && !dependency.isGit() && !dependency.fromWorkspace() : dependency.versionReq().trim()
                        .equals("*");
                if (star) {
                    String member = manifest.pkg() == null ? project.display(manifest.path()) : manifest.pkg().name();
                    findings.add(new Finding(WILDCARD, policy.wildcards().severity(), dependency.packageName(), null,
                            member + " accepts any version of " + dependency.packageName() + " (" + (dependency
                            .versionReq() == null ? "no version" : "\"*\"") + "): any release that is published next "
                            + "is one `cargo update` away; give a version requirement", List.of(new Evidence(
                            project.display(manifest.path()), dependency.line(), dependency.name())), Map.of()));
                }
            }
        }
    }

    private static Finding finding(Rule rule, Severity severity, LockedPackage pkg, String message, Evidence at) {
        return new Finding(rule, severity, pkg.name(), pkg.version().toString(), message, List.of(at), Map.of());
    }
}
