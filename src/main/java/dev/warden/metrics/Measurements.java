package dev.warden.metrics;

import dev.warden.cargo.project.Project;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.fortify.gate.Gate;
import dev.warden.limit.iam.IamCheck;
import dev.warden.limit.pipeline.PipelineAudit;
import dev.warden.recon.ReconRules;
import dev.warden.recon.churn.LockfileHistory;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.FreshnessCheck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The metrics a command's results hold, worked out the same way whichever command computed them. */
public final class Measurements {

    private static final Set<Rule> VULNERABILITIES = Set.of(AuditRules.VULNERABLE, AuditRules.MALICIOUS,
            AuditRules.MALICIOUS_NAME);

    private Measurements() {
    }

    /** Known vulnerabilities in all and by severity, from an audit's findings (each advisory and version once). */
    public static List<MetricLog.Measurement> vulnerabilities(Collection<Finding> audit) {
        List<Finding> found = audit.stream().filter(f -> VULNERABILITIES.contains(f.rule())).toList();
        List<MetricLog.Measurement> out = new ArrayList<>();
        out.add(MetricLog.Measurement.of(Metric.VULNERABILITIES, found.size()));
        out.add(MetricLog.Measurement.of(Metric.VULNERABILITIES_CRITICAL, count(found, Severity.CRITICAL)));
        out.add(MetricLog.Measurement.of(Metric.VULNERABILITIES_HIGH, count(found, Severity.HIGH)));
        out.add(MetricLog.Measurement.of(Metric.VULNERABILITIES_MEDIUM, count(found, Severity.MEDIUM)));
        out.add(MetricLog.Measurement.of(Metric.VULNERABILITIES_LOW, found.stream()
                .filter(f -> !f.severity().atLeast(Severity.MEDIUM)).count()));
        return out;
    }

    /**
     * Typosquat and confusion counts from the reconnaissance checks' findings, and the quarantine count when the
     * freshness check knew the crates' release dates (without them, no finding says nothing).
     */
    public static List<MetricLog.Measurement> reconnaissance(Collection<Finding> recon, boolean datesKnown) {
        List<MetricLog.Measurement> out = new ArrayList<>();
        out.add(MetricLog.Measurement.of(Metric.TYPOSQUATS, recon.stream()
                .filter(f -> f.rule() == ReconRules.TYPOSQUAT).count()));
        out.add(MetricLog.Measurement.of(Metric.CONFUSION, recon.stream()
                .filter(f -> ConfusionCheck.RULES.contains(f.rule())).count()));
        if (datesKnown) {
            out.add(MetricLog.Measurement.of(Metric.QUARANTINED, recon.stream()
                    .filter(f -> f.rule() == ReconRules.RECENTLY_PUBLISHED).count()));
        }
        return out;
    }

    /** Libyears and the stale share, when the index knew the crates' release dates. */
    public static List<MetricLog.Measurement> freshness(FreshnessCheck.Assessment assessment) {
        if (assessment.crates().isEmpty()) {
            return List.of();
        }
        long stale = assessment.findings().stream().filter(f -> f.rule() == ReconRules.STALE_CRATE).count();
        return List.of(MetricLog.Measurement.of(Metric.LIBYEARS, assessment.libyears()),
                MetricLog.Measurement.of(Metric.STALE_SHARE, (double) stale / assessment.crates().size()));
    }

    /** The share of registry crates from a private registry or a mirror (the gate works it out). */
    public static MetricLog.Measurement privateShare(Project project) {
        return MetricLog.Measurement.of(Metric.PRIVATE_SHARE, Gate.privateShare(project));
    }

    /**
     * What one gate run measured: whether it reviewed a change and blocked it, whether the lockfile was usable with
     * {@code --locked}, and — when it could read the lockfile — the project's advisories, reconnaissance findings and
     * private-registry share.
     */
    public static List<MetricLog.Measurement> gate(Gate.Result result, boolean hasBase) {
        List<MetricLog.Measurement> out = new ArrayList<>();
        out.add(MetricLog.Measurement.of(Metric.DEPENDENCY_CHANGES, hasBase ? 1 : 0));
        out.add(MetricLog.Measurement.of(Metric.BLOCKED_CHANGES, hasBase && result.blocked() ? 1 : 0));
        out.add(MetricLog.Measurement.of(Metric.LOCKED, result.locked() ? 1 : 0));
        for (Gate.CheckResult check : result.checks()) {
            switch (check.check()) {
                case "audit" -> {
                    out.addAll(vulnerabilities(check.findings()));
                    out.add(MetricLog.Measurement.of(Metric.PRIVATE_SHARE, result.privateShare()));
                }
                case "recon" -> out.addAll(reconnaissance(check.findings(), false));
                default -> {
                }
            }
        }
        return out;
    }

    /** What an audit of the CI definitions measured: locked share, static credentials, lifetimes, egress. */
    public static List<MetricLog.Measurement> pipeline(PipelineAudit.Summary summary) {
        List<MetricLog.Measurement> out = new ArrayList<>();
        if (summary.lockedShare() != null) {
            out.add(MetricLog.Measurement.of(Metric.CI_LOCKED, summary.lockedShare()));
        }
        if (summary.pipelines() > 0) {
            out.add(MetricLog.Measurement.of(Metric.STATIC_CREDENTIALS, summary.staticCredentials()));
        }
        if (summary.longestTtl() != null) {
            out.add(MetricLog.Measurement.of(Metric.CREDENTIAL_TTL, summary.longestTtl().toSeconds()));
        }
        if (summary.filteredShare() != null) {
            out.add(MetricLog.Measurement.of(Metric.EGRESS_FILTERED, summary.filteredShare()));
        }
        return out;
    }

    /** The build role's permission count: the largest over the roles given, and each role's as its subject. */
    public static List<MetricLog.Measurement> iam(List<IamCheck.Count> counts) {
        List<MetricLog.Measurement> out = new ArrayList<>();
        if (counts.isEmpty()) {
            return out;
        }
        out.add(MetricLog.Measurement.of(Metric.IAM_PERMISSIONS, counts.stream().mapToInt(IamCheck.Count::actions)
                .max().orElseThrow()));
        for (IamCheck.Count count : counts) {
            out.add(new MetricLog.Measurement(Metric.IAM_PERMISSIONS, count.principal().name(), count.actions()));
        }
        return out;
    }

    /**
     * What a scan of every third-party crate found: unsafe uses in all and per crate, crates with build scripts and
     * proc-macro crates. Nothing when a crate could not be read: a partial total would pass for a whole one.
     */
    public static List<MetricLog.Measurement> scan(ProjectScan.Result result) {
        if (!result.notScanned().isEmpty() || result.scans().isEmpty()) {
            return List.of();
        }
        Map<String, Integer> byCrate = new TreeMap<>();
        for (CrateScan scan : result.scans()) {
            byCrate.merge(scan.name(), scan.unsafeTotal().total(), Integer::sum);
        }
        List<MetricLog.Measurement> out = new ArrayList<>();
        out.add(MetricLog.Measurement.of(Metric.UNSAFE, byCrate.values().stream().mapToInt(Integer::intValue).sum()));
        byCrate.forEach((crate, count) -> out.add(new MetricLog.Measurement(Metric.UNSAFE, crate, count)));
        out.add(MetricLog.Measurement.of(Metric.BUILD_SCRIPTS, result.scans().stream()
                .filter(CrateScan::hasBuildScript).count()));
        out.add(MetricLog.Measurement.of(Metric.PROC_MACROS, result.scans().stream().filter(CrateScan::procMacro)
                .count()));
        return out;
    }

    /**
     * Commits that changed the lockfile, per month of the window read — or of the span the commits cover, when the
     * history was cut at {@code maxCommits}.
     */
    public static List<MetricLog.Measurement> churn(LockfileHistory history, Instant since, Instant now,
                                                    int maxCommits) {
        Instant from = since;
        if (history.changes().size() >= maxCommits) {
            from = history.changes().stream().map(LockfileHistory.Change::date).min(Instant::compareTo).orElse(since);
        }
        double months = Math.max(1, Duration.between(from, now).toDays()) / 30.44;
        return List.of(MetricLog.Measurement.of(Metric.LOCKFILE_CHURN, history.changes().size() / months));
    }

    private static long count(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
