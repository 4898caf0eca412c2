package dev.warden.evaluate.weight;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The framework's "is it worth it?" for a change: a direct dependency the change adds that is small enough to
 * write yourself (see {@link DependencyWeight.Weight#trivial}) — every such crate is one more publisher whose
 * account can be taken over.
 */
public final class WeightCheck implements Check {

    public static final Rule TRIVIAL = new Rule("trivial-dependency", Stage.EVALUATION, Severity.LOW,
            "A new direct dependency is small enough to write yourself, and adds a publisher to trust.");
    public static final List<Rule> RULES = List.of(TRIVIAL);

    @Override
    public String name() {
        return "weight";
    }

    /** Reading the workspace's code for item counts is only worth it when there is a new direct dependency. */
    private static boolean addsDirectDependency(CheckContext context) {
        DependencyGraph graph = context.graph();
        return graph.roots().stream().flatMap(root -> graph.dependencies(root).stream())
                .map(edge -> graph.node(edge.to()).pkg())
                .anyMatch(pkg -> pkg.source() != null && context.change().previous(pkg).isEmpty()
                        && context.change().brings(pkg));
    }

    @Override
    public List<Finding> run(CheckContext context) {
        if (!context.change().hasBase() || !addsDirectDependency(context)) {
            return List.of(); // `warden weight` answers this for the whole graph
        }
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (DependencyWeight.Weight weight : DependencyWeight.of(context.graph(), context.crates())) {
            var pkg = weight.dependency().pkg();
            if (!weight.trivial() || context.change().previous(pkg).isPresent() || !context.change().brings(pkg)) {
                continue;
            }
            String items = weight.items() == null ? "" : weight.items().isEmpty()
                    ? " (the workspace's code names none of its items)"
                    : " for " + String.join(", ", new TreeSet<>(weight.items()));
            findings.add(new Finding(TRIVIAL, TRIVIAL.defaultSeverity(), pkg.name(), pkg.version().toString(),
                    "the change adds " + pkg.name() + ", which brings " + weight.alone().size() + " crate"
                    + (weight.alone().size() == 1 ? "" : "s") + " and " + weight.lines() + (weight.lines() == 1 ? " line"
                    : " lines") + " of code" + items
                    + ": consider writing it yourself", List.of(new Evidence(lockfile, pkg.line(),
                    pkg.id().nameAndVersion())), Map.of()));
        }
        return findings;
    }
}
