package dev.warden.fortify.gate;

import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.evaluate.source.CrateLocator;
import dev.warden.fortify.FortifyRules;
import dev.warden.fortify.code.CodeCheck;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.sources.SourcesCheck;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.FreshnessCheck;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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
    public record Result(List<CheckResult> checks, SecurityDiff.Result diff, boolean locked, double privateShare,
                         List<String> notes) {

        public Result {
            checks = List.copyOf(checks);
            notes = List.copyOf(notes);
        }

        public boolean blocked() {
            return checks.stream().anyMatch(c -> !c.passed());
        }

        /** All findings with the policy's decision, for the shared report formats. */
        public Verdict verdict() {
            // The diff repeats the audit's advisories for the crates it changed: report each finding once.
            Set<Finding> all = new LinkedHashSet<>();
            Set<Finding> blocking = new LinkedHashSet<>();
            for (CheckResult check : checks) {
                all.addAll(check.findings());
                blocking.addAll(check.blocking());
            }
            return new Verdict(List.copyOf(all), List.copyOf(blocking), notes);
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
        Introduced introduced = new Introduced(base, project.lockfile(), baseAdvisories(audit, context, base));
        checks.add(introduced.only(new CheckResult("audit", audited.findings(), audited.blocking())));

        List<Finding> recon = new ArrayList<>();
        recon.addAll(new TyposquatCheck(popular, policy.recon()).run(context));
        recon.addAll(new ConfusionCheck(popular, policy.recon()).run(context));
        recon.addAll(new FreshnessCheck(index, policy.recon()).run(context));
        checks.add(introduced.only(judged("recon", recon, policy.recon().failLevel())));

        checks.add(introduced.only(judged("sources", new SourcesCheck(policy.sources(),
                policy.recon()).run(context), policy.sources().failLevel())));

        // The diff and the code policy read the same crates: scan each once, the change's crates in parallel.
        CrateLocator locator = new CrateLocator(project, context.env());
        Map<PackageId, Optional<CrateScan>> scans = new ConcurrentHashMap<>();
        Function<LockedPackage, Optional<CrateScan>> scanner =
                pkg -> scans.computeIfAbsent(pkg.id(), id -> ProjectScan.scan(pkg, locator));
        List<LockedPackage> subjects = thirdParty(project).stream().filter(introduced::brings).toList();
        subjects.parallelStream().forEach(pkg -> scans.put(pkg.id(), ProjectScan.scan(pkg, locator)));
        SecurityDiff.Result diff = null;
        if (base != null) {
            diff = SecurityDiff.review(new SecurityDiff.Side(base.lockfile(), base.display(), scanner),
                    new SecurityDiff.Side(project.lockfile(), project.display(project.lockfile().path()), scanner),
                    advisories);
            checks.add(introduced.only(new CheckResult("diff", diff.findings(),
                    policy.diff().blocking(diff.findings(), diff.risk()))));
        } else {
            List<Finding> scanned = subjects.stream().map(scanner).flatMap(Optional::stream)
                    .flatMap(scan -> scan.findings().stream()).toList();
            checks.add(judged("scan", scanned, policy.scanFailLevel()));
        }
        List<Finding> code = new CodeCheck(policy.code(), subjects, scanner).run(context);
        checks.add(judged("build-code", code.stream().filter(f -> f.rule() != FortifyRules.UNSAFE_OVER_BUDGET)
                .toList(), policy.code().buildCodeFailLevel()));
        checks.add(judged("unsafe", code.stream().filter(f -> f.rule() == FortifyRules.UNSAFE_OVER_BUDGET)
                .toList(), policy.code().unsafeFailLevel()));
        AcceptedFindings accepted = new AcceptedFindings(policy.gate(), today(context));
        List<CheckResult> decided = new ArrayList<>(checks.stream().map(accepted::apply).toList());
        List<Finding> ignores = accepted.policyFindings();
        if (!ignores.isEmpty()) {
            decided.add(new CheckResult("ignores", ignores, List.of()));
        }
        List<String> notes = new ArrayList<>(introduced.notes());
        notes.addAll(accepted.notes());
        return new Result(decided, diff, checks.getFirst().passed(), privateShare(project), notes);
    }

    private static LocalDate today(CheckContext context) {
        return LocalDate.ofInstant(context.env().clock().instant(), ZoneOffset.UTC);
    }

    /**
     * With a base, a change is judged by what it brings: findings about packages the base already locked at the same
     * version, and advisories the base was already affected by (an upgrade that stays within the affected range),
     * are shown but do not block — they are not this change's doing, and blocking every pull request on them would
     * teach people to bypass the gate. {@code warden audit} on the main branch reports them.
     */
    private static final class Introduced {

        private final boolean hasBase;
        private final Set<String> unchanged = new HashSet<>();
        private final Set<String> advisoriesBefore;
        private final List<String> notes = new ArrayList<>();

        /** Packages are unchanged when the base locked the same name, version, source and checksum. */
        Introduced(Base base, Lockfile after, List<Finding> baseAdvisories) {
            this.hasBase = base != null;
            Map<PackageId, String> before = new HashMap<>();
            if (base != null) {
                base.lockfile().packages().forEach(p -> before.put(p.id(), String.valueOf(p.checksum())));
            }
            Set<String> changed = new HashSet<>();
            for (LockedPackage pkg : after.packages()) {
                String key = pkg.name() + " " + pkg.version();
                boolean same = String.valueOf(pkg.checksum()).equals(before.get(pkg.id()));
                (same ? unchanged : changed).add(key);
            }
            unchanged.removeAll(changed);
            this.advisoriesBefore = baseAdvisories.stream().map(Introduced::advisoryKey).filter(k -> k != null)
                    .collect(Collectors.toSet());
        }

        private static String advisoryKey(Finding finding) {
            String advisory = finding.attributes().get("advisory");
            return advisory == null ? null : finding.id() + " " + finding.crate() + " " + advisory;
        }

        CheckResult only(CheckResult check) {
            if (!hasBase) {
                return check;
            }
            List<Finding> blocking = check.blocking().stream().filter(f -> !preExisting(f)).toList();
            int kept = check.blocking().size() - blocking.size();
            if (kept > 0) {
                notes.add(check.check() + ": " + kept + " finding" + (kept == 1 ? "" : "s")
                        + " about crates the base already locked " + (kept == 1 ? "does" : "do")
                        + " not block this change (fix them on the main branch)");
            }
            return new CheckResult(check.check(), check.findings(), blocking);
        }

        /** Whether the change brings this package: new, or changed in version, source or checksum. */
        boolean brings(LockedPackage pkg) {
            return !unchanged.contains(pkg.name() + " " + pkg.version());
        }

        private boolean preExisting(Finding finding) {
            String advisory = advisoryKey(finding);
            if (advisory != null && advisoriesBefore.contains(advisory)) {
                return true;
            }
            return unchanged.contains(finding.crate() + " " + finding.version());
        }

        List<String> notes() {
            return notes;
        }
    }

    /** What the audit says about the base lockfile, to tell advisories a change brings from those it inherits. */
    private static List<Finding> baseAdvisories(AuditCheck audit, CheckContext context, Base base) {
        if (base == null) {
            return List.of();
        }
        Project before = context.project().withLockfile(base.lockfile());
        return audit.run(new CheckContext(before, GraphBuilder.build(before), context.env()));
    }

    private static List<LockedPackage> thirdParty(Project project) {
        return project.lockfile().packages().stream().filter(p -> p.source() != null).toList();
    }

    /**
     * The share of registry packages served by a registry the organisation runs: any registry but crates.io, and
     * crates.io packages too when the Cargo configuration replaces crates.io with a mirror or vendored directory.
     */
    static double privateShare(Project project) {
        boolean cratesIoReplaced = project.config().cratesIoReplacement().isPresent();
        List<LockedPackage> registry = project.lockfile().packages().stream()
                .filter(p -> p.source() != null && p.source().isRegistry()).toList();
        long internal = registry.stream().filter(p -> cratesIoReplaced || !p.source().isCratesIo()).count();
        return registry.isEmpty() ? 0 : (double) internal / registry.size();
    }

    /** The decision for a project without a lockfile: nothing else can be judged, and it cannot build --locked. */
    public static Result lockfileMissing(String lockfile) {
        Finding missing = new Finding(FortifyRules.LOCKFILE_MISSING, null, null, lockfile + " is missing: commit "
                + "the lockfile (`cargo generate-lockfile`) so that CI builds exactly what was reviewed",
                List.of(Evidence.of(lockfile, 0)));
        return new Result(List.of(new CheckResult("locked", List.of(missing), List.of(missing))), null, false, 0,
                List.of());
    }

    /** Adds the sandboxed build's alerts as one more check, judged by {@code [limit] fail-level} and the ignores. */
    public static Result withBuild(Result result, List<Finding> alerts, Policy policy, CheckContext context) {
        AcceptedFindings accepted = new AcceptedFindings(policy.gate(), today(context));
        List<CheckResult> checks = new ArrayList<>(result.checks());
        checks.add(accepted.apply(judged("build", alerts, policy.buildFailLevel())));
        List<String> notes = new ArrayList<>(result.notes());
        notes.addAll(accepted.notes());
        return new Result(checks, result.diff(), result.locked(), result.privateShare(), notes);
    }

    private static CheckResult locked(Project project) {
        List<Finding> findings = project.warnings().stream()
                .filter(w -> w.endsWith(ProjectLoader.OUT_OF_DATE))
                .map(w -> new Finding(FortifyRules.LOCKFILE_OUT_OF_DATE, null, null, w,
                        List.of(Evidence.of(project.display(project.lockfile().path()), 0))))
                .toList();
        return judged("locked", findings, Severity.HIGH);
    }

    private static CheckResult judged(String check, List<Finding> findings, Severity failLevel) {
        return new CheckResult(check, findings, Verdict.atOrAbove(findings, failLevel).blocking());
    }
}
