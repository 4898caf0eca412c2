package dev.warden.bench;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;
import dev.warden.metrics.Measurements;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Fills a store with a year of history for the report's benchmark (bench/RESULTS.md, issue 16): {@code GATES} gate
 * runs of a project (its real lockfile's packages each time, one in eight blocked) and {@code BUILDS} builds, written
 * through the same library calls the commands use. Usage: {@code ReportHistory STORE PROJECT_DIR GATES BUILDS}.
 */
public final class ReportHistory {

    private ReportHistory() {
    }

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        Path project = Path.of(args[1]).toAbsolutePath().normalize();
        int gates = Integer.parseInt(args[2]);
        int builds = Integer.parseInt(args[3]);
        List<LockedPackage> packages = LockfileParser.parse(project.resolve("Cargo.lock")).packages();
        Instant start = Instant.parse("2025-12-01T00:00:00Z");
        Duration step = Duration.ofDays(365).dividedBy(gates);
        Finding blocking = new Finding(AuditRules.VULNERABLE, "time", "0.1.45", "RUSTSEC-2020-0071",
                List.of(Evidence.of("Cargo.lock", 1)));
        try (DecisionLog log = DecisionLog.open(store, null); MetricLog metrics = MetricLog.open(store, null)) {
            for (int i = 0; i < gates; i++) {
                boolean blocked = i % 8 == 0;
                Gate.Result result = new Gate.Result(List.of(new Gate.CheckResult("audit",
                        blocked ? List.of(blocking) : List.of(), blocked ? List.of(blocking) : List.of())), null,
                        Gate.Coverage.NONE, i % 50 != 0, 0.0, List.of());
                Instant at = start.plus(step.multipliedBy(i));
                long run = log.record(at, project, packages, "main", result);
                metrics.record(project.toString(), at, "gate#" + run, Measurements.gate(result, true));
            }
        }
        Duration buildStep = Duration.ofDays(365).dividedBy(builds);
        try (EventStore events = EventStore.open(new StoreLocation.Sqlite(store), null); MetricLog metrics = MetricLog.open(store, null)) {
            for (int i = 0; i < builds; i++) {
                Instant at = start.plus(buildStep.multipliedBy(i));
                long id = events.startBuild(project.toString(), "cargo build --locked", "bubblewrap", at);
                events.recordEnvironment(id, Map.of("AWS_SECRET_ACCESS_KEY", EventStore.Exposure.DECOY));
                events.finishBuild(id, at.plusSeconds(60), 0, true);
                metrics.record(project.toString(), at, "build#" + id, List.of(
                        MetricLog.Measurement.of(Metric.SANDBOXED, 1),
                        MetricLog.Measurement.of(Metric.SECRETS_EXPOSED, 0),
                        MetricLog.Measurement.of(Metric.BLOCKED_EGRESS, i % 100 == 0 ? 3 : 0),
                        MetricLog.Measurement.of(Metric.EGRESS_ALERTS, 0),
                        MetricLog.Measurement.of(Metric.FIRST_SEEN_DNS, 0)));
            }
        }
        System.out.printf("%s: %d gate runs, %d builds of %s%n", store, gates, builds, project);
    }
}
