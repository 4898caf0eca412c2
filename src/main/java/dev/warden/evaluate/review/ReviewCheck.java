package dev.warden.evaluate.review;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;


import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reviews, from the project's cargo-vet data: every third-party crate the change brings must be vetted for the
 * criteria it needs — what a first-party crate's {@code [policy]} asks (cargo-vet's defaults: safe-to-deploy, and
 * safe-to-run for what only dev-dependencies bring), or {@code [review] require} when set, which also makes an
 * unreviewed crate block.
 */
public final class ReviewCheck implements Check {

    public static final Rule UNREVIEWED = new Rule("unreviewed", Stage.EVALUATION, Severity.MEDIUM,
            "A third-party crate version is not covered by any review for the criteria it needs.");
    public static final Rule CREV_NEGATIVE = new Rule("crev-negative-review", Stage.EVALUATION, Severity.MEDIUM,
            "Someone the user trusts through crev reviewed a crate version negatively or as dangerous.");
    public static final Rule CREV_PROOF_REJECTED = new Rule("crev-proof-rejected", Stage.EVALUATION, Severity.LOW,
            "A crev proof was not used: its signature does not verify, or it cannot be read.");
    public static final List<Rule> RULES = List.of(UNREVIEWED, CREV_NEGATIVE, CREV_PROOF_REJECTED);

    private final VetData data;
    private final ReviewPolicy policy;
    private final Vetting vetting;
    private final List<CrevProofs.Review> warnings;
    private final List<CrevProofs.Rejected> rejected;

    public ReviewCheck(VetData data, ReviewPolicy policy) {
        this(data, policy, List.of(), List.of());
    }

    private ReviewCheck(VetData data, ReviewPolicy policy, List<CrevProofs.Review> warnings,
                        List<CrevProofs.Rejected> rejected) {
        this.data = data;
        this.policy = policy;
        this.vetting = new Vetting(data);
        this.warnings = List.copyOf(warnings);
        this.rejected = List.copyOf(rejected);
    }

    /**
     * The project's reviews: its cargo-vet data and, with {@code [review] crev-proofs}, the positive crev reviews by
     * ids the user trusts enough, read as audits for {@code crev-criteria}; empty when it has neither.
     */
    public static Optional<ReviewCheck> forProject(Path root, ReviewPolicy policy) {
        Path vet = root.resolve(policy.store());
        if (!VetData.present(vet) && policy.crev() == null) {
            return Optional.empty();
        }
        VetData data = VetData.read(vet);
        if (policy.crev() == null) {
            return Optional.of(new ReviewCheck(data, policy));
        }
        CrevProofs proofs = CrevProofs.read(root.resolve(policy.crev().proofs()));
        Map<String, CrevProofs.Level> trusted = proofs.trusted(policy.crev().id());
        return Optional.of(new ReviewCheck(data.withAudits(proofs.audits(trusted, policy.crev().minimum(),
                policy.crev().criteria())), policy, proofs.warnings(trusted), proofs.rejected()));
    }

    @Override
    public String name() {
        return "review";
    }

    /** One third-party version and how it stands. */
    public record Status(LockedPackage pkg, Set<String> required, Vetting.Decision decision) {
    }

    /** Every third-party crate in the graph with its review status (what {@code warden review} lists). */
    public List<Status> statuses(DependencyGraph graph) {
        List<Status> statuses = new ArrayList<>();
        required(graph).forEach((node, criteria) -> statuses.add(new Status(node.pkg(), criteria,
                vetting.judge(node.name(), node.pkg().version().toString(), criteria))));
        return statuses;
    }

    @Override
    public List<Finding> run(CheckContext context) {
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (Status status : statuses(context.graph())) {
            if (status.decision().vetted() || !context.change().brings(status.pkg())) {
                continue;
            }
            LockedPackage pkg = status.pkg();
            String version = pkg.version().toString();
            List<String> nearest = status.decision().nearest();
            findings.add(new Finding(UNREVIEWED, policy.require().isEmpty() ? UNREVIEWED.defaultSeverity()
                    : Severity.HIGH, pkg.name(), version, pkg.name() + " " + version + " is not covered by any "
                    + "review for " + status.decision().missing() + (nearest.isEmpty() ? " (no version of it is)"
                    : "; reviewed versions: " + String.join(", ", nearest.size() > 5 ? nearest.subList(
                    nearest.size() - 5, nearest.size()) : nearest) + " (a delta audit from one of them would cover "
                    + "it)"), List.of(new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion())), Map.of()));
        }
        for (LockedPackage pkg : context.project().lockfile().packages()) {
            if (pkg.source() == null || !pkg.source().isCratesIo() || !context.change().brings(pkg)) {
                continue;
            }
            for (CrevProofs.Review review : warnings) {
                if (pkg.name().equals(review.name()) && pkg.version().toString().equals(review.version())) {
                    findings.add(new Finding(CREV_NEGATIVE, "dangerous".equals(review.rating()) ? Severity.HIGH
                            : CREV_NEGATIVE.defaultSeverity(), pkg.name(), review.version(), pkg.id().nameAndVersion()
                            + " is rated " + review.rating() + " in a crev review by " + review.from().substring(0, 8)
                            + "…, whom you trust (thoroughness " + review.thoroughness() + ", understanding "
                            + review.understanding() + ")", List.of(new Evidence(lockfile, pkg.line(),
                            pkg.id().nameAndVersion()), Evidence.of(review.file().toString(), review.line())),
                            Map.of()));
                }
            }
        }
        for (CrevProofs.Rejected proof : rejected) {
            findings.add(new Finding(CREV_PROOF_REJECTED, CREV_PROOF_REJECTED.defaultSeverity(), null, null,
                    "a crev proof was not used: " + proof.why(), List.of(Evidence.of(proof.file().toString(),
                    proof.line())), Map.of()));
        }
        return findings;
    }

    /**
     * The criteria each third-party crate needs: its first-party dependents' policy (criteria through normal and
     * build edges, dev-criteria through their dev-dependencies), carried down to everything those bring.
     */
    private Map<DependencyGraph.Node, Set<String>> required(DependencyGraph graph) {
        Map<DependencyGraph.Node, Set<String>> needs = new HashMap<>();
        Deque<DependencyGraph.Node> pending = new ArrayDeque<>();
        for (DependencyGraph.Node root : graph.roots()) {
            VetData.CratePolicy own = data.policies().get(root.name());
            Set<String> deploy = !policy.require().isEmpty() ? policy.require()
                    : own != null && !own.criteria().isEmpty() ? own.criteria() : Set.of(VetData.SAFE_TO_DEPLOY);
            Set<String> dev = !policy.require().isEmpty() ? policy.require()
                    : own != null && !own.devCriteria().isEmpty() ? own.devCriteria() : Set.of(VetData.SAFE_TO_RUN);
            for (DependencyGraph.Edge edge : graph.dependencies(root)) {
                DependencyGraph.Node to = graph.node(edge.to());
                if (!to.root() && add(needs, to, edge.devOnly() ? dev : deploy)) {
                    pending.add(to);
                }
            }
        }
        while (!pending.isEmpty()) {
            DependencyGraph.Node node = pending.removeFirst();
            for (DependencyGraph.Edge edge : graph.dependencies(node)) {
                DependencyGraph.Node to = graph.node(edge.to());
                if (!to.root() && add(needs, to, needs.get(node))) {
                    pending.add(to);
                }
            }
        }
        // As cargo-vet: crates.io crates are third-party; path, git and other registries' crates count as the
        // project's own unless its policy says audit-as-crates-io.
        needs.keySet().removeIf(node -> node.pkg().source() == null || !node.pkg().source().isCratesIo()
                && !auditAsCratesIo(node));
        return needs;
    }

    private boolean auditAsCratesIo(DependencyGraph.Node node) {
        VetData.CratePolicy own = data.policies().get(node.name());
        return own != null && Boolean.TRUE.equals(own.auditAsCratesIo());
    }

    /** Adds criteria a crate needs; whether that changed anything (deploying covers running). */
    private boolean add(Map<DependencyGraph.Node, Set<String>> needs, DependencyGraph.Node node, Set<String> criteria) {
        Set<String> current = needs.computeIfAbsent(node, k -> new LinkedHashSet<>());
        Set<String> covered = data.closure(current);
        boolean changed = false;
        for (String criterion : criteria) {
            if (!covered.contains(criterion)) {
                current.removeIf(c -> data.closure(Set.of(criterion)).contains(c));
                current.add(criterion);
                changed = true;
            }
        }
        return changed;
    }
}
