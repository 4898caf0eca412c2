package dev.warden.fortify.gate;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.evaluate.source.CrateLocator;
import dev.warden.fortify.policy.Policy;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.FreshnessCheck;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;

import java.util.ArrayList;
import java.util.List;

/**
 * The CI gate: one decision for a change from every check the policy asks for — the lockfile is usable with
 * {@code --locked}, advisories, reconnaissance (typosquats, dependency confusion, freshness), and what the change
 * itself brings (a security diff against the base lockfile, with the source scan of new and changed crates; without
 * a base, a scan of every crate whose source is here). Each check decides by its own fail level from the policy.
 */
public final class Gate {

    /** One check's outcome. */
    public record CheckResult(String check, List<Finding> findings, List<Finding> blocking) {

        public CheckResult {
            findings = List.copyOf(findings);
            blocking = List.copyOf(blocking);
        }

        public boolean passed() {
            return blocking.isEmpty();
        }
    }

    /**
     * The decision.
     *
     * @param diff          the security diff against the base, or null without a base
     * @param privateShare  the share of registry packages that come from a registry other than crates.io
     */
    public record Result(List<CheckResult> checks, SecurityDiff.Result diff, boolean locked, double privateShare) {

        public Result {
            checks = List.copyOf(checks);
        }

        public boolean blocked() {
            return checks.stream().anyMatch(c -> !c.passed());
        }

        /** All findings with the policy's decision, for the shared report formats. */
        public Verdict verdict() {
            List<Finding> all = new ArrayList<>();
            List<Finding> blocking = new ArrayList<>();
            for (CheckResult check : checks) {
                all.addAll(check.findings());
                blocking.addAll(check.blocking());
            }
            return new Verdict(all, blocking, List.of());
        }
    }

    /** Where the lockfile before the change comes from, and how to name it. */
    public record Base(Lockfile lockfile, String display) {
    }

    private Gate() {
    }

    public static Result evaluate(CheckContext context, Policy policy, AdvisoryDatabase database, RegistryIndex index,
                                  PopularCrates popular, Base base) {
        Project project = context.project();
        List<CheckResult> checks = new ArrayList<>();
        checks.add(locked(project));

        AuditCheck audit = new AuditCheck(database, policy.audit(), index);
        List<Finding> advisories = audit.run(context);
        Verdict audited = audit.judge(advisories);
        checks.add(new CheckResult("audit", audited.findings(), audited.blocking()));

        List<Finding> recon = new ArrayList<>();
        recon.addAll(new TyposquatCheck(popular, policy.recon()).run(context));
        recon.addAll(new ConfusionCheck(popular, policy.recon()).run(context));
        recon.addAll(new FreshnessCheck(index, policy.recon()).run(context));
        checks.add(judged("recon", recon, policy.recon().failLevel()));

        CrateLocator locator = new CrateLocator(project, context.env());
        SecurityDiff.Result diff = null;
        if (base != null) {
            diff = SecurityDiff.review(
                    new SecurityDiff.Side(base.lockfile(), base.display(), pkg -> ProjectScan.scan(pkg, locator)),
                    new SecurityDiff.Side(project.lockfile(), project.display(project.lockfile().path()),
                            pkg -> ProjectScan.scan(pkg, locator)),
                    advisories);
            checks.add(new CheckResult("diff", diff.findings(), policy.diff().blocking(diff.findings(), diff.risk())));
        } else {
            List<LockedPackage> thirdParty = project.lockfile().packages().stream().filter(p -> p.source() != null)
                    .toList();
            List<Finding> scanned = ProjectScan.scan(project, context.env(), thirdParty).findings();
            checks.add(judged("scan", scanned, Severity.CRITICAL));
        }
        long registryPackages = project.lockfile().packages().stream()
                .filter(p -> p.source() != null && p.source().isRegistry()).count();
        long privatePackages = project.lockfile().packages().stream()
                .filter(p -> p.source() != null && p.source().isRegistry() && !p.source().isCratesIo()).count();
        return new Result(checks, diff, checks.getFirst().passed(),
                registryPackages == 0 ? 0 : (double) privatePackages / registryPackages);
    }

    /** Adds the sandboxed build's alerts as one more check. */
    public static Result withBuild(Result result, List<Finding> alerts, Severity failLevel) {
        List<CheckResult> checks = new ArrayList<>(result.checks());
        checks.add(judged("build", alerts, failLevel));
        return new Result(checks, result.diff(), result.locked(), result.privateShare());
    }

    private static CheckResult locked(Project project) {
        List<Finding> findings = project.warnings().stream()
                .filter(w -> w.contains("lockfile is out of date"))
                .map(w -> new Finding(GateRules.LOCKFILE_OUT_OF_DATE, null, null, w,
                        List.of(Evidence.of(project.display(project.lockfile().path()), 0))))
                .toList();
        return judged("locked", findings, Severity.HIGH);
    }

    private static CheckResult judged(String check, List<Finding> findings, Severity failLevel) {
        return new CheckResult(check, findings, Verdict.atOrAbove(findings, failLevel).blocking());
    }
}
