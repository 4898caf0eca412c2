package dev.warden.fortify.gate;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Environment;
import dev.warden.core.Evidence;
import dev.warden.core.FileTree;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.Tasks;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.license.LicenseCheck;
import dev.warden.evaluate.license.PublishedLicenses;
import dev.warden.evaluate.repository.RepositoryCache;
import dev.warden.evaluate.repository.RepositoryCheck;
import dev.warden.evaluate.review.ReviewCheck;
import dev.warden.evaluate.weight.WeightCheck;
import dev.warden.evaluate.scan.CoverageCheck;
import dev.warden.evaluate.scan.ScanRules;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.SourceAcquisition;
import dev.warden.fortify.FortifyRules;
import dev.warden.fortify.bans.BansCheck;
import dev.warden.fortify.code.CodeCheck;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.sources.SourcesCheck;
import dev.warden.limit.pipeline.PipelineChange;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.FreshnessCheck;
import dev.warden.recon.publishers.CrateHistories;
import dev.warden.recon.publishers.OwnerChangeCheck;
import dev.warden.recon.publishers.PublisherDriftCheck;
import dev.warden.recon.publishers.RegistryData;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One gate decision for a change — the single call behind {@code warden gate}, the drill and CI. It works out the
 * {@link Change} once, obtains and scans the code of every crate the change brings (and the old version of each
 * changed crate, so the capability delta is real) once, builds one {@link CheckContext}, and runs each check on it:
 * the lockfile is usable with {@code --locked}, advisories, reconnaissance, allowed sources, coverage (what could
 * not be read), the security diff (or, without a base, the scan), and the build-code and unsafe policy. Each finding
 * comes from exactly one check, and with a base only what the change brings can block.
 */
public final class GateRun {

    /**
     * @param base     what the change is compared with, or null to judge the whole lockfile
     * @param offline  never download crate sources (also {@code [gate] offline})
     * @param progress how far source acquisition has got, for a progress line
     * @param registry crates.io's registry data for publisher and owner checks, or null when there is none here
     * @param liveRegistry crates.io's API for crates and versions the registry data does not list, or null
     * @param repositories crates' repositories to compare published files with, or null (URLs checked only)
     * @param owners   the crates' owners at the project's last gate run and now, or null when not known
     */
    public record Options(Policy policy, AdvisoryDatabase database, RegistryIndex index, PopularCrates popular,
                          Base base, boolean offline, Consumer<SourceAcquisition.Progress> progress,
                          RegistryData registry, CrateHistories liveRegistry, RepositoryCache repositories,
                          Owners owners) {
    }

    /** Owners per crate: as the store recorded them at the project's last gate run, and from the registry data. */
    public record Owners(Map<String, Set<String>> previous, Map<String, Set<String>> current) {
    }

    private GateRun() {
    }

    public static Gate.Result call(Project project, DependencyGraph graph, Environment env, Options options) {
        Policy policy = options.policy();
        // Checking every name against the popular crates needs only the graph: it runs on another core from the
        // start, beside fetching and reading the crates and the advisory check (CI runners have more than one core).
        TyposquatCheck typosquat = new TyposquatCheck(options.popular(), policy.recon());
        CompletableFuture<List<TyposquatCheck.Suspect>> suspects = CompletableFuture.supplyAsync(
                () -> typosquat.suspects(graph));
        // The CI definitions are judged when the change edits them; reading them needs no crate, so it runs beside.
        CompletableFuture<Optional<PipelineChange.Judgement>> ci = CompletableFuture.supplyAsync(
                () -> new PipelineChange(FileTree.directory(FileTree.repositoryRoot(project.root())),
                        options.base() == null ? null : options.base().tree(), options.base() != null)
                        .judge(policy.ci()));
        Change change = options.base() == null ? Change.whole(project.lockfile())
                : Change.between(options.base(), project.lockfile());
        ScannedCrates crates = ScannedCrates.of(acquisition(project, env, options), change.codeToRead(),
                options.progress());
        CheckContext context = new CheckContext(project, graph, change, crates, env);

        List<Gate.CheckResult> checks = new ArrayList<>();
        checks.add(Gate.judged("locked", locked(project), Severity.HIGH));

        AuditCheck audit = new AuditCheck(options.database(), policy.audit(), options.index());
        List<Finding> advisories = audit.run(context);
        Verdict audited = audit.judge(advisories);
        checks.add(new Gate.CheckResult("audit", audited.findings(), audited.blocking()));

        List<Finding> recon = new ArrayList<>(typosquat.judge(context, Tasks.join(suspects)));
        recon.addAll(new ConfusionCheck(options.popular(), policy.recon()).run(context));
        recon.addAll(new FreshnessCheck(options.index(), policy.recon()).run(context));
        if (options.registry() != null || options.liveRegistry() != null) {
            recon.addAll(new PublisherDriftCheck(options.registry(), options.liveRegistry()).run(context));
        }
        if (options.owners() != null) {
            recon.addAll(new OwnerChangeCheck(options.owners().previous(), options.owners().current()).run(context));
        }
        checks.add(Gate.judged("recon", recon, policy.recon().failLevel()));
        checks.add(Gate.judged("sources", new SourcesCheck(policy.sources(), policy.recon()).run(context),
                policy.sources().failLevel()));

        List<Finding> coverage = new CoverageCheck().run(context);
        checks.add(new Gate.CheckResult("coverage", coverage, coverage.stream()
                .filter(f -> f.rule() == ScanRules.CHECKSUM_MISMATCH || policy.gate().unverified()
                        == GatePolicy.Unverified.BLOCK && f.severity().atLeast(Severity.HIGH)).toList()));

        SecurityDiff.Result diff = null;
        if (change.hasBase()) {
            diff = SecurityDiff.review(context, project.display(project.lockfile().path()))
                    .withRelated(related(checks));
            checks.add(new Gate.CheckResult("diff", diff.findings(),
                    policy.diff().blocking(diff.findings(), diff.risk())));
        } else {
            List<Finding> scanned = crates.scans().stream().flatMap(scan -> scan.findings().stream()).toList();
            checks.add(Gate.judged("scan", scanned, policy.scanFailLevel()));
        }
        String policyFile = policy.file() == null ? "warden.toml" : project.display(policy.file());
        checks.add(Gate.judged("bans", new BansCheck(policy.bans(), policyFile).run(context), Severity.HIGH));
        if (policy.licenses().configured()) {
            List<Finding> licences = new LicenseCheck(policy.licenses(), policyFile, options.registry() == null
                    ? PublishedLicenses.NONE : options.registry()::licenses).run(context);
            checks.add(new Gate.CheckResult("licenses", licences, licences.stream().filter(f -> f.severity()
                    .atLeast(Severity.HIGH) || f.rule() == LicenseCheck.UNVERIFIED && policy.gate().unverified()
                    == GatePolicy.Unverified.BLOCK).toList()));
        }
        checks.add(Gate.judged("repository", new RepositoryCheck(options.registry() == null
                ? RepositoryCheck.RegisteredRepositories.NONE : options.registry()::repositories,
                options.repositories()).run(context), Severity.HIGH));
        checks.add(Gate.judged("weight", new WeightCheck().run(context), Severity.HIGH));
        ReviewCheck.forProject(project.root(), policy.review()).ifPresent(review ->
                checks.add(Gate.judged("review", review.run(context), Severity.HIGH)));
        List<Finding> code = new CodeCheck(policy.code()).run(context);
        checks.add(Gate.judged("build-code", code.stream().filter(f -> f.rule() != FortifyRules.UNSAFE_OVER_BUDGET)
                .toList(), policy.code().buildCodeFailLevel()));
        checks.add(Gate.judged("unsafe", code.stream().filter(f -> f.rule() == FortifyRules.UNSAFE_OVER_BUDGET)
                .toList(), policy.code().unsafeFailLevel()));

        List<String> notes = new ArrayList<>();
        Tasks.join(ci).ifPresent(judgement -> {
            if (!judgement.findings().isEmpty()) {
                checks.add(new Gate.CheckResult("ci", judgement.findings(), judgement.blocking()));
            }
            notes.addAll(judgement.notes());
        });
        List<Gate.CheckResult> introduced = checks.stream().map(c -> onlyIntroduced(c, context, audit, notes))
                .toList();
        AcceptedFindings accepted = new AcceptedFindings(policy.gate(), today(env));
        List<Gate.CheckResult> decided = new ArrayList<>(introduced.stream().map(accepted::apply).toList());
        List<Finding> ignores = accepted.policyFindings();
        if (!ignores.isEmpty()) {
            decided.add(new Gate.CheckResult("ignores", ignores, List.of()));
        }
        notes.addAll(accepted.notes());
        Gate.Coverage counted = new Gate.Coverage(crates.outcomes().size(), crates.scannedCount(),
                crates.downloadedCount(), crates.unverifiedCount());
        return new Gate.Result(decided, diff, counted, project.outOfDate().isEmpty(), Gate.privateShare(project),
                notes);
    }

    public static LocalDate today(Environment env) {
        return LocalDate.ofInstant(env.clock().instant(), ZoneOffset.UTC);
    }

    private static SourceAcquisition acquisition(Project project, Environment env, Options options) {
        return SourceAcquisition.forProject(project, env, options.offline() || options.policy().gate().offline());
    }

    /** Findings of the checks before the diff about the versions it brings, shown with their change. */
    private static List<Finding> related(List<Gate.CheckResult> checks) {
        return checks.stream().flatMap(c -> c.findings().stream()).filter(f -> f.crate() != null).toList();
    }

    private static List<Finding> locked(Project project) {
        Evidence at = Evidence.of(project.display(project.lockfile().path()), 0);
        return project.outOfDate().stream()
                .map(problem -> new Finding(FortifyRules.LOCKFILE_OUT_OF_DATE, null, null, problem, List.of(at)))
                .toList();
    }

    /**
     * With a base, a change is judged by what it brings: findings about packages it did not bring, and advisories
     * that held for the version it replaced (an upgrade that stays within the affected range), are shown but do not
     * block — they are not this change's doing, and blocking every pull request on them would teach people to bypass
     * the gate. {@code warden audit} on the main branch reports them.
     */
    private static Gate.CheckResult onlyIntroduced(Gate.CheckResult check, CheckContext context, AuditCheck audit,
                                                   List<String> notes) {
        Change change = context.change();
        if (!change.hasBase()) {
            return check;
        }
        List<Finding> blocking = check.blocking().stream()
                .filter(f -> !preExisting(f, context, audit)).toList();
        int kept = check.blocking().size() - blocking.size();
        if (kept > 0) {
            notes.add(check.check() + ": " + kept + " finding" + (kept == 1 ? "" : "s")
                    + " about crates the base already locked " + (kept == 1 ? "does" : "do")
                    + " not block this change (fix them on the main branch)");
        }
        return new Gate.CheckResult(check.check(), check.findings(), blocking);
    }

    /**
     * Whether a blocking finding is not the change's doing: every package it is about was already locked by the base,
     * or (for an advisory) the base was already affected by it through some version of the crate — an upgrade within
     * the affected range, or one more affected copy next to those already there.
     */
    private static boolean preExisting(Finding finding, CheckContext context, AuditCheck audit) {
        if (finding.crate() == null) {
            return false;
        }
        List<LockedPackage> packages = context.project().lockfile().named(finding.crate()).stream()
                .filter(p -> p.version().toString().equals(finding.version())).toList();
        if (packages.isEmpty()) {
            return false; // about a version of the base only (an unreadable old version): the change's business
        }
        if (packages.stream().noneMatch(context.change()::brings)) {
            return true;
        }
        return audit.heldInBase(finding, context.change());
    }
}
