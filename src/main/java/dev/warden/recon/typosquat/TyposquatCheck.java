package dev.warden.recon.typosquat;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.recon.ReconPolicy;
import dev.warden.recon.ReconRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks every third-party crate in the graph against the popular crates and the project's own direct
 * dependencies (so a transitive {@code serde-derive2} imitating a direct {@code serde_derive} is caught too).
 * Workspace and path packages are the project's own and are not checked.
 */
public final class TyposquatCheck implements Check {

    private final PopularCrates popular;
    private final ReconPolicy policy;

    public TyposquatCheck(PopularCrates popular, ReconPolicy policy) {
        this.popular = popular;
        this.policy = policy;
    }

    @Override
    public String name() {
        return "typosquat";
    }

    /** A crate of the graph whose name imitates another's, before anything else is known about it. */
    public record Suspect(LockedPackage pkg, SquatMatch match) {
    }

    @Override
    public List<Finding> run(CheckContext context) {
        return judge(context, suspects(context.graph()));
    }

    /**
     * The names of the graph's third-party crates that imitate a popular crate or a direct dependency. This needs
     * the graph alone, so the gate starts it before the crates' code is fetched.
     */
    public List<Suspect> suspects(DependencyGraph graph) {
        Set<String> direct = new TreeSet<>();
        for (DependencyGraph.Node root : graph.roots()) {
            for (DependencyGraph.Edge edge : graph.dependencies(root)) {
                DependencyGraph.Node dependency = graph.node(edge.to());
                if (dependency.pkg().source() != null) {
                    direct.add(dependency.name());
                }
            }
        }
        TyposquatDetector detector = new TyposquatDetector(popular, direct, TyposquatDetector.Settings.DEFAULT);
        Set<String> allowed = policy.allowed().stream().map(a -> NameForms.normalized(a.name()))
                .collect(Collectors.toSet());
        List<Suspect> suspects = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (DependencyGraph.Node node : graph.nodes()) {
            LockedPackage pkg = node.pkg();
            if (pkg.source() == null || allowed.contains(NameForms.normalized(pkg.name())) || !seen.add(pkg.name())) {
                continue;
            }
            Optional<SquatMatch> match = detector.check(pkg.name());
            // A crate its target itself depends on was chosen by the target's authors: family (toml → toml_parser).
            if (match.isPresent() && !dependsOn(graph, match.get().target(), pkg.name())) {
                suspects.add(new Suspect(pkg, match.get()));
            }
        }
        return suspects;
    }

    /** The suspects' findings, rated with what the context knows: their code, and whether the change adds them. */
    public List<Finding> judge(CheckContext context, List<Suspect> suspects) {
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (Suspect suspect : suspects) {
            LockedPackage pkg = suspect.pkg();
            boolean buildTimeCode = context.crates().scan(pkg)
                    .map(scan -> scan.hasBuildScript() || scan.procMacro()).orElse(false);
            // New to the project in the change being judged, and unknown to the popular list: few downloads.
            boolean newAndObscure = context.change().hasBase() && context.change().brings(pkg)
                    && context.change().previous(pkg).isEmpty() && suspect.match().rank() >= PopularCrates.UNRANKED;
            findings.add(finding(suspect.match(), pkg.version().toString(), buildTimeCode, newAndObscure,
                    List.of(new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion()))));
        }
        return findings;
    }

    /** Whether a package named {@code target} depends on one named {@code name}: asked only for the rare match. */
    private static boolean dependsOn(DependencyGraph graph, String target, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(target)).anyMatch(n -> graph.dependencies(n)
                .stream().anyMatch(edge -> graph.node(edge.to()).name().equals(name)));
    }

    /** Checks bare names, outside any project ({@code warden recon --name}). */
    public List<Finding> checkNames(List<String> names) {
        TyposquatDetector detector = new TyposquatDetector(popular, List.of(), TyposquatDetector.Settings.DEFAULT);
        List<Finding> findings = new ArrayList<>();
        for (String name : names) {
            Optional<SquatMatch> match = detector.check(name);
            match.ifPresent(m -> findings.add(finding(m, null, false, false, List.of(new Evidence("--name", 0, name)))));
        }
        return findings;
    }

    /**
     * @param buildTimeCode whether the crate's code is known to run at build time (build script, proc macro)
     * @param newAndObscure whether the change being judged adds it, and it is not among the popular crates
     */
    static Finding finding(SquatMatch match, String version, boolean buildTimeCode, boolean newAndObscure,
                           List<Evidence> evidence) {
        boolean unranked = match.rank() >= PopularCrates.UNRANKED;
        String target = match.target() + (match.direct() ? " (a direct dependency"
                + (match.targetRank() < PopularCrates.UNRANKED ? ", rank " + match.targetRank() : "") + ")"
                : " (rank " + match.targetRank() + ")");
        String message = match.name() + " looks like " + target + ": " + match.detail() + " ("
                + match.technique().label() + "); " + (unranked ? match.name() + " is not among the popular crates"
                : match.name() + " ranks " + match.rank() + ", " + match.rankGap() + "× less popular")
                + (buildTimeCode ? "; it runs code at build time" : "")
                + (newAndObscure ? "; this change adds it" : "");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("target", match.target());
        attributes.put("technique", match.technique().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        attributes.put("targetRank", match.targetRank() < PopularCrates.UNRANKED ? String.valueOf(match.targetRank())
                : "unranked");
        attributes.put("rank", unranked ? "unranked" : String.valueOf(match.rank()));
        return new Finding(ReconRules.TYPOSQUAT, severity(match, buildTimeCode || newAndObscure), match.name(),
                version, message,
                evidence, attributes);
    }

    /**
     * A name alone is medium at most: legitimate crates resemble popular ones by the hundred. Close imitations of
     * well-known crates (and typos of top-100 ones) are high only when another signal adds up — the crate runs code at
     * build time (the way a squat's payload gets to run), or the change adds it while it has few downloads; padding
     * and combosquats are medium next to a top-1,000 crate, otherwise low.
     */
    static Severity severity(SquatMatch match, boolean corroborated) {
        boolean unranked = match.rank() >= PopularCrates.UNRANKED;
        boolean wellKnown = match.direct() || match.targetRank() <= 1_000;
        boolean close = switch (match.technique()) {
            case TYPO -> unranked && match.targetRank() <= 100;
            case AFFIX, COMBO -> false;
            default -> wellKnown;
        };
        if (close) {
            return corroborated ? Severity.HIGH : Severity.MEDIUM;
        }
        return match.technique().closeVariant() || wellKnown ? Severity.MEDIUM : Severity.LOW;
    }
}
