package dev.warden.fortify.gate;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.fortify.FortifyRules;
import dev.warden.fortify.policy.Policy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The gate's decision and the parts of it: one {@link CheckResult} per check, judged by that check's fail level
 * from the policy. {@link GateRun} makes the decision.
 */
public final class Gate {

    /**
     * How much of what the gate had to judge it could read: crates the change brings (with the old versions of
     * changed ones), how many were judged from source, how many of those were downloaded, how many stayed unverified.
     */
    public record Coverage(long asked, long judged, long downloaded, long unverified) {

        public static final Coverage NONE = new Coverage(0, 0, 0, 0);
    }

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
     * @param coverage      how many of the crates the gate had to judge were read from source
     * @param privateShare  the share of registry packages that come from a registry other than crates.io
     */
    public record Result(List<CheckResult> checks, SecurityDiff.Result diff, Coverage coverage, boolean locked,
                         double privateShare, List<String> notes) {

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

    private Gate() {
    }

    /**
     * The share of registry packages served by a registry the organisation runs: any registry but crates.io, and
     * crates.io packages too when the Cargo configuration replaces crates.io with a mirror or vendored directory.
     */
    public static double privateShare(Project project) {
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
        return new Result(List.of(new CheckResult("locked", List.of(missing), List.of(missing))), null,
                Coverage.NONE, false, 0, List.of());
    }

    /** Adds the sandboxed build's alerts as one more check, judged by {@code [limit] fail-level} and the ignores. */
    public static Result withBuild(Result result, List<Finding> alerts, Policy policy, LocalDate today) {
        AcceptedFindings accepted = new AcceptedFindings(policy.gate(), today);
        List<CheckResult> checks = new ArrayList<>(result.checks());
        checks.add(accepted.apply(judged("build", alerts, policy.buildFailLevel())));
        List<String> notes = new ArrayList<>(result.notes());
        notes.addAll(accepted.notes());
        return new Result(checks, result.diff(), result.coverage(), result.locked(), result.privateShare(), notes);
    }

    static CheckResult judged(String check, List<Finding> findings, Severity failLevel) {
        return new CheckResult(check, findings, Verdict.atOrAbove(findings, failLevel).blocking());
    }
}
