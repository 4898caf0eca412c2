package dev.warden.metrics;

import dev.warden.cargo.index.RegistryIndex;
import dev.warden.check.CheckContext;
import dev.warden.core.Finding;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.fortify.policy.Policy;
import dev.warden.recon.churn.LockfileHistory;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.Freshness;
import dev.warden.recon.freshness.FreshnessCheck;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The project's state as it can be measured now, offline and without building: known vulnerabilities, typosquats,
 * dependency confusion, freshness and quarantine (from the index on this machine), and the private-registry share —
 * with the findings behind each number, for the report's evidence tables.
 *
 * @param freshnessKnown whether the index knew the crates' releases (else freshness is unmeasured, not zero)
 */
public record Snapshot(List<MetricLog.Measurement> measurements, List<Finding> advisories, List<Finding> recon,
                       List<Freshness> oldest, boolean freshnessKnown) {

    public Snapshot {
        measurements = List.copyOf(measurements);
        advisories = List.copyOf(advisories);
        recon = List.copyOf(recon);
        oldest = List.copyOf(oldest);
    }

    private static final Duration YEAR = Duration.ofDays(365);

    /** Runs the advisory and reconnaissance checks on the whole lockfile, and counts its changes in git. */
    public static Snapshot of(CheckContext context, Policy policy, AdvisoryDatabase database, RegistryIndex index,
                              PopularCrates popular) {
        List<Finding> advisories = new AuditCheck(database, policy.audit(), index).run(context);
        List<Finding> recon = new ArrayList<>(new TyposquatCheck(popular, policy.recon()).run(context));
        recon.addAll(new ConfusionCheck(popular, policy.recon()).run(context));
        FreshnessCheck.Assessment freshness = new FreshnessCheck(index, policy.recon()).assess(context);
        recon.addAll(freshness.findings());

        List<MetricLog.Measurement> measurements = new ArrayList<>(Measurements.vulnerabilities(advisories));
        measurements.addAll(Measurements.reconnaissance(recon, !freshness.crates().isEmpty()));
        measurements.addAll(Measurements.freshness(freshness));
        measurements.add(Measurements.privateShare(context.project()));
        // Lockfile churn over the last year of git history, when the project is in a repository.
        Instant now = context.env().clock().instant();
        int changes = LockfileHistory.changesSince(context.project().lockfile().path(), now.minus(YEAR), 5_000);
        if (changes >= 0) {
            measurements.add(MetricLog.Measurement.of(Metric.LOCKFILE_CHURN, changes / 12.0));
        }
        List<Freshness> oldest = freshness.crates().stream().filter(f -> f.libyears() != null && f.libyears() > 0)
                .sorted(Comparator.comparing(Freshness::libyears, Comparator.reverseOrder())
                        .thenComparing(f -> f.pkg().name()))
                .limit(10).toList();
        return new Snapshot(measurements, advisories, recon, oldest, !freshness.crates().isEmpty());
    }
}
