package dev.warden.metrics;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Stage;
import dev.warden.core.store.StoreLocation;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.exercise.Tabletop;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.recon.ReconRules;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.Freshness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every REFLEX metric on one page: per stage, each metric's figure over the period, its target, its daily history
 * from the store and the evidence behind it (findings, gate runs, builds, alerts, drills, tabletop sessions). One
 * model, rendered as HTML, Markdown and JSON ({@code dev.warden.report.SupplyChainPage}).
 *
 * @param since start of the period (null: all history)
 */
public record SupplyChainReport(String project, Instant generated, Instant since, List<Section> sections,
                                List<String> notes) {

    /** Evidence tables list at most this many rows (with the total). */
    public static final int EVIDENCE_ROWS = 20;

    /** How a metric stands against its target. */
    public enum Status {
        MET, MISSED, WATCH, UNMEASURED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One metric: its figure (null when unmeasured, with a note saying what measures it), how many runs it is made
     * of, and its history by day.
     */
    public record MetricView(Metric metric, Double value, Integer runs, Status status, List<MetricLog.Point> trend,
                             String note) {

        public String display() {
            return value == null ? "not measured" : metric.format(value);
        }
    }

    /** A table cell, linking to where it came from when there is a place to go. */
    public record Cell(String text, String href) {

        public static Cell of(Object text) {
            return new Cell(text == null ? "" : String.valueOf(text), null);
        }
    }

    /** An evidence table: at most {@link #EVIDENCE_ROWS} rows of {@code total}. */
    public record Table(String title, List<String> columns, List<List<Cell>> rows, int total) {
    }

    public record Section(Stage stage, String title, List<MetricView> metrics, List<Table> tables) {
    }

    /**
     * What the report is drawn from.
     *
     * @param project    the project's key in the store (its root path)
     * @param store      the project's store (may not exist yet: then there is no history)
     * @param journal    where read-only commands journal their measurements for that store
     * @param drillStore the drills' store (drills exercise the team, not one project), may not exist
     * @param snapshot   the project's state measured now, or null (a drill's own report)
     * @param stages     the stages to report on
     */
    public record Inputs(String project, StoreLocation store, Path journal, Path drillStore, Path nativeCache, Instant now, Instant since,
                         Snapshot snapshot, Set<Stage> stages) {
    }

    /** The project key drills record under, in the drills' store. */
    public static final String DRILLS = "drills";

    private static final Set<Metric> DRILL_METRICS = Set.of(Metric.DRILL_SUCCESS, Metric.MTTD, Metric.MTTR);

    public static SupplyChainReport build(Inputs in) {
        List<String> notes = new ArrayList<>();
        Map<Metric, MetricLog.Figure> figures = new EnumMap<>(Metric.class);
        Map<Metric, List<MetricLog.Point>> trends = new EnumMap<>(Metric.class);
        History history = new History();
        boolean hasStore = in.store().exists() || MetricJournal.pending(in.journal());
        if (hasStore) {
            try (MetricLog log = MetricLog.open(in.store(), in.journal(), in.nativeCache())) {
                figures.putAll(log.figures(in.project(), in.since()));
                for (Metric metric : Metric.values()) {
                    if (!DRILL_METRICS.contains(metric)) {
                        trends.put(metric, log.trend(in.project(), metric, in.since()));
                    }
                }
                history.unsafe = log.bySubject(in.project(), Metric.UNSAFE);
                history.mentions = log.bySubject(in.project(), Metric.PUBLIC_MENTIONS);
            }
            try (DecisionLog log = DecisionLog.open(in.store(), in.nativeCache())) {
                history.blocked = log.blockedChanges(in.project(), in.since(), EVIDENCE_ROWS);
            }
            try (EventStore events = EventStore.open(in.store(), in.nativeCache())) {
                history.builds = events.recentBuilds(in.project(), EVIDENCE_ROWS);
                history.alerts = events.recentAlerts(in.project(), EVIDENCE_ROWS);
                history.domains = events.firstSeen(in.project(), "domain", EVIDENCE_ROWS);
            }
            history.tabletop = Tabletop.history(in.store(), in.nativeCache());
        } else {
            notes.add("no store at " + in.store().display() + " yet: the history starts with the first gate, build or "
                    + "`warden report --record`");
        }
        if (in.drillStore() != null && Files.isRegularFile(in.drillStore())) {
            try (MetricLog log = MetricLog.open(in.drillStore(), in.nativeCache())) {
                Map<Metric, MetricLog.Figure> drills = log.figures(DRILLS, in.since());
                for (Metric metric : DRILL_METRICS) {
                    if (drills.containsKey(metric)) {
                        figures.put(metric, drills.get(metric));
                    }
                    trends.put(metric, log.trend(DRILLS, metric, in.since()));
                    history.drills.put(metric, log.latestPerSubject(DRILLS, metric));
                }
            }
        }
        Snapshot snapshot = in.snapshot();
        if (snapshot != null) {
            for (MetricLog.Measurement measurement : snapshot.measurements()) {
                if (measurement.subject() == null) {
                    // Measured now: the value is today's, the runs those the store recorded.
                    MetricLog.Figure recorded = figures.get(measurement.metric());
                    figures.put(measurement.metric(), new MetricLog.Figure(measurement.value(),
                            recorded == null ? 0 : recorded.runs()));
                }
            }
        }

        List<Section> sections = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            if (!in.stages().contains(stage)) {
                continue;
            }
            List<MetricView> metrics = new ArrayList<>();
            for (Metric metric : Metric.values()) {
                if (metric.stage() == stage) {
                    MetricLog.Figure figure = figures.get(metric);
                    Double value = figure == null ? null : figure.value();
                    Boolean met = value == null ? null : metric.meets(value);
                    Status status = value == null ? Status.UNMEASURED : met == null ? Status.WATCH
                            : met ? Status.MET : Status.MISSED;
                    metrics.add(new MetricView(metric, value, figure == null || figure.runs() == 0 ? null
                            : figure.runs(), status,
                            trends.getOrDefault(metric, List.of()), value == null ? unmeasured(metric, snapshot) : null));
                }
            }
            sections.add(new Section(stage, title(stage), metrics, evidence(stage, snapshot, history)));
        }
        return new SupplyChainReport(in.project(), in.now(), in.since(), sections, notes);
    }

    /** What the store held for the evidence tables. */
    private static final class History {
        List<MetricLog.SubjectValue> unsafe = List.of();
        List<MetricLog.SubjectValue> mentions = List.of();
        List<DecisionLog.Blocked> blocked = List.of();
        List<EventStore.BuildSummary> builds = List.of();
        List<EventStore.AlertRow> alerts = List.of();
        List<EventStore.FirstSeen> domains = List.of();
        List<Tabletop.Session> tabletop = List.of();
        Map<Metric, List<MetricLog.SubjectValue>> drills = new EnumMap<>(Metric.class);
    }

    private static String title(Stage stage) {
        return switch (stage) {
            case RECONNAISSANCE -> "Reconnaissance";
            case EVALUATION -> "Evaluation";
            case FORTIFY -> "Fortify";
            case LIMIT -> "Limit";
            case EXPOSE -> "Expose";
            case EXERCISE -> "eXercise";
        };
    }

    /** Which command measures an unmeasured metric. */
    private static String unmeasured(Metric metric, Snapshot snapshot) {
        return switch (metric) {
            case LIBYEARS, STALE_SHARE, QUARANTINED -> snapshot != null && !snapshot.freshnessKnown()
                    ? "the index on this machine does not know these crates' releases: run `cargo fetch` first, or "
                    + "give --index-url" : "recorded by `warden recon` and `warden report --record`";
            case UNSAFE, BUILD_SCRIPTS, PROC_MACROS -> "needs the crates' code: recorded by `warden scan`";
            case LOCKFILE_CHURN -> "needs the git history: the project is not in a git repository here";
            case DEPENDENCY_CHANGES, BLOCKED_CHANGES, LOCKED -> "recorded by every `warden gate`";
            case SANDBOXED, SECRETS_EXPOSED, BLOCKED_EGRESS, EGRESS_ALERTS, FIRST_SEEN_DNS ->
                    "recorded by every `warden build`";
            case DRILL_SUCCESS, MTTD, MTTR -> "recorded by `warden drill`";
            case PUBLIC_MENTIONS -> "recorded by `warden recon --intel` for names under [recon] internal-prefixes";
            case TEAM_CONFIDENCE -> "recorded by `warden tabletop`";
            case CI_LOCKED, STATIC_CREDENTIALS, CREDENTIAL_TTL, EGRESS_FILTERED -> "recorded by `warden ci-audit`";
            case IAM_PERMISSIONS -> "recorded by `warden ci-audit --iam POLICY.json` (the build role's policies)";
            default -> "recorded by `warden audit`, `warden recon`, `warden gate` and `warden report --record`";
        };
    }

    private static List<Table> evidence(Stage stage, Snapshot snapshot, History history) {
        List<Table> tables = new ArrayList<>();
        switch (stage) {
            case RECONNAISSANCE -> {
                if (snapshot != null) {
                    tables.add(findings("Typosquats and dependency confusion", snapshot.recon().stream()
                            .filter(f -> f.rule() == ReconRules.TYPOSQUAT || ConfusionCheck.RULES.contains(f.rule()))
                            .toList()));
                    tables.add(oldest(snapshot.oldest()));
                }
                tables.add(new Table("Public mentions of internal names (latest recon --intel)",
                        List.of("Crate", "Public manifests", "Change", "Looked up"), history.mentions.stream()
                        .limit(EVIDENCE_ROWS).map(m -> List.of(Cell.of(m.subject()), Cell.of((long) m.value()),
                                Cell.of(m.previous() == null ? "first look" : delta(m.value() - m.previous())),
                                Cell.of(day(m.at())))).toList(), history.mentions.size()));
            }
            case EVALUATION -> {
                if (snapshot != null) {
                    tables.add(findings("Advisories", snapshot.advisories().stream()
                            .filter(f -> f.rule() != AuditRules.DATABASE_STALE).toList()));
                }
                tables.add(unsafe(history.unsafe));
            }
            case FORTIFY -> {
                tables.add(blocked(history.blocked));
                if (snapshot != null) {
                    tables.add(findings("In quarantine (younger than min-publish-age)", snapshot.recon().stream()
                            .filter(f -> f.rule() == ReconRules.RECENTLY_PUBLISHED).toList()));
                }
            }
            case LIMIT -> tables.add(builds(history.builds));
            case EXPOSE -> {
                tables.add(alerts(history.alerts));
                tables.add(new Table("First-seen DNS names", List.of("Domain", "First queried by"),
                        history.domains.stream().map(d -> List.of(Cell.of(d.value()), Cell.of("build#" + d.build())))
                                .toList(), history.domains.size()));
            }
            case EXERCISE -> {
                tables.add(drills(history.drills));
                tables.add(tabletop(history.tabletop));
            }
        }
        return tables;
    }

    private static Table findings(String title, List<Finding> findings) {
        List<List<Cell>> rows = findings.stream().limit(EVIDENCE_ROWS).map(f -> List.of(
                Cell.of(f.severity().label()), advisoryCell(f), Cell.of(f.crate() == null ? "" : f.crate()
                        + (f.version() == null ? "" : " " + f.version())), Cell.of(f.message()),
                Cell.of(f.evidence().stream().map(Evidence::toString).collect(Collectors.joining(", "))))).toList();
        return new Table(title, List.of("Severity", "Finding", "Crate", "What", "Evidence"), rows, findings.size());
    }

    /** RustSec advisories link to their page; other findings name their rule. */
    private static Cell advisoryCell(Finding finding) {
        String advisory = finding.attributes().get("advisory");
        if (advisory != null && advisory.startsWith("RUSTSEC-") && !advisory.contains(",")) {
            return new Cell(advisory, "https://rustsec.org/advisories/" + advisory + ".html");
        }
        return Cell.of(advisory != null ? advisory : finding.id());
    }

    private static Table oldest(List<Freshness> oldest) {
        return new Table("Furthest behind", List.of("Crate", "Locked", "Newest", "Libyears", "Last release"),
                oldest.stream().map(f -> List.of(Cell.of(f.pkg().name()), Cell.of(f.pkg().version()),
                        Cell.of(f.latest()), Cell.of(String.format(Locale.ROOT, "%.1f", f.libyears())),
                        Cell.of(f.lastRelease() == null ? "" : f.lastRelease().toString().substring(0, 10))))
                        .toList(), oldest.size());
    }

    private static Table unsafe(List<MetricLog.SubjectValue> unsafe) {
        return new Table("unsafe per crate (top 10, change since the previous scan)",
                List.of("Crate", "unsafe", "Change", "Scanned"),
                unsafe.stream().limit(10).map(u -> List.of(Cell.of(u.subject()), Cell.of((long) u.value()),
                        Cell.of(u.previous() == null ? "first scan" : delta(u.value() - u.previous())),
                        Cell.of(u.source() + ", " + u.at().toString().substring(0, 10)))).toList(), unsafe.size());
    }

    private static String delta(double change) {
        return change == 0 ? "=" : String.format(Locale.ROOT, "%+d", (long) change);
    }

    private static Table blocked(List<DecisionLog.Blocked> blocked) {
        return new Table("Blocked changes", List.of("Run", "When", "Base", "Blocked by"),
                blocked.stream().map(b -> List.of(Cell.of("gate#" + b.run().id()), Cell.of(day(b.run().time())),
                        Cell.of(b.run().base()), Cell.of(String.join(", ", b.rules())))).toList(), blocked.size());
    }

    private static Table builds(List<EventStore.BuildSummary> builds) {
        return new Table("Recent builds", List.of("Build", "Started", "Sandbox", "Exit", "Clean", "Alerts",
                "Secrets visible"), builds.stream().map(b -> List.of(Cell.of("build#" + b.build().id()),
                Cell.of(day(b.build().started())), Cell.of(b.build().sandbox()),
                Cell.of(b.build().exitCode() == null ? "running or killed" : b.build().exitCode()),
                Cell.of(b.build().clean() ? "yes" : "no"), Cell.of(b.alerts()), Cell.of(b.realSecrets()))).toList(),
                builds.size());
    }

    private static Table alerts(List<EventStore.AlertRow> alerts) {
        return new Table("Recent alerts", List.of("Build", "Severity", "Rule", "Crate", "What", "Detected after"),
                alerts.stream().map(a -> List.of(Cell.of("build#" + a.build()), Cell.of(a.severity()),
                        Cell.of(a.rule()), Cell.of(a.crate()), Cell.of(a.message()),
                        Cell.of(Metric.MTTD.format(a.latencyMicros() / 1e6)))).toList(), alerts.size());
    }

    private static Table drills(Map<Metric, List<MetricLog.SubjectValue>> drills) {
        List<MetricLog.SubjectValue> success = drills.getOrDefault(Metric.DRILL_SUCCESS, List.of());
        List<List<Cell>> rows = new ArrayList<>();
        for (MetricLog.SubjectValue scenario : success) {
            rows.add(List.of(Cell.of(scenario.subject()), Cell.of(scenario.value() >= 1 ? "caught" : "missed"),
                    Cell.of(subject(drills, Metric.MTTD, scenario.subject())),
                    Cell.of(subject(drills, Metric.MTTR, scenario.subject())), Cell.of(day(scenario.at()))));
        }
        return new Table("Last drill per scenario", List.of("Scenario", "Result", "MTTD", "MTTR", "When"), rows,
                rows.size());
    }

    private static String subject(Map<Metric, List<MetricLog.SubjectValue>> drills, Metric metric, String subject) {
        return drills.getOrDefault(metric, List.of()).stream().filter(v -> v.subject().equals(subject))
                .map(v -> v.value() < 0 ? "—" : metric.format(v.value())).findFirst().orElse("—");
    }

    private static Table tabletop(List<Tabletop.Session> sessions) {
        List<Tabletop.Session> latest = sessions.reversed().stream().limit(EVIDENCE_ROWS).toList();
        return new Table("Tabletop sessions", List.of("When", "Scenario", "Participants", "Confidence", "Gaps"),
                latest.stream().map(s -> List.of(Cell.of(day(s.time())), Cell.of(s.scenario()),
                        Cell.of(s.participants().size()),
                        Cell.of(Metric.TEAM_CONFIDENCE.format(s.teamConfidence())),
                        Cell.of(s.gaps().stream().map(Enum::name).map(n -> n.toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))))).toList(), sessions.size());
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }

    public Section section(Stage stage) {
        return sections.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
    }

    public MetricView metric(Metric metric) {
        return section(metric.stage()).metrics().stream().filter(m -> m.metric() == metric).findFirst().orElseThrow();
    }
}
