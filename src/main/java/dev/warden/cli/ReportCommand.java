package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.core.Stage;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.exercise.Drill;
import dev.warden.fortify.policy.Policy;
import dev.warden.metrics.MetricLog;
import dev.warden.metrics.Snapshot;
import dev.warden.metrics.SupplyChainReport;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.report.Format;
import dev.warden.report.SupplyChainPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "report", description = {
    "The supply-chain report: every REFLEX metric on one page, with its target and its history from the store",
    "(gate runs, builds, drills, tabletop sessions, earlier reports), and the evidence behind it. Writes one",
    "self-contained HTML file (no network requests; charts are inline SVG) by default, or Markdown or JSON with",
    "--format. The project's current state (advisories, typosquats, confusion, freshness) is measured offline now;",
    "--record also stores it, for a nightly job that keeps the trends going."})
final class ReportCommand implements Callable<Outcome> {

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,5})([dw])");

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--since", paramLabel = "DATE",
            description = "Only history from this day on: YYYY-MM-DD, or a span back from today such as 30d or 12w "
                    + "(default: all history).")
    String since;

    @Option(names = "--record", description = "Store the current values in the metrics history as well.")
    boolean record;

    @Option(names = "--summary", description = "Markdown: only the short block a pull-request comment carries.")
    boolean summary;

    @Option(names = "--link", paramLabel = "URL", description = "Where the full report is (for --summary).")
    String link;

    @Mixin
    StoreOption store;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    IndexOption indexOption;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.HTML, Format.MARKDOWN, Format.JSON);
        Instant now = context.env().clock().instant();
        Instant from = since == null ? null : since(since, now);
        Project project = context.project(path);
        Policy policy = policyOption.load(context.env(), project.root());
        IndexOption.Opened index = indexOption.open(context.env(), policy.indexUrl());
        CheckContext check = new CheckContext(project, context.graph(project), context.env());
        Snapshot snapshot = Snapshot.of(check, policy, AdvisorySources.select(List.of(), context.env()),
                index.index(), PopularCrates.of(policy.recon()));
        context.warn(index.failures("freshness and quarantine unknown"));
        StoreLocation storeFile = store.location(context.env(), project.root());
        String key = project.root().toString();
        if (record) {
            try (MetricLog log = MetricLog.open(storeFile, context.env())) {
                log.record(key, now, "report", snapshot.measurements());
            }
        }
        SupplyChainReport report = SupplyChainReport.build(new SupplyChainReport.Inputs(key, storeFile,
                storeFile.journal(context.env()),
                Drill.historyStore(context.env()), context.env().cacheDirectory(), now, from, snapshot,
                EnumSet.allOf(Stage.class)));
        switch (format) {
            case MARKDOWN -> context.emit(out -> {
                if (summary) {
                    SupplyChainPage.summaryBlock(report, link, out);
                } else {
                    SupplyChainPage.markdown(report, link, out);
                }
            });
            case JSON -> context.emit(out -> SupplyChainPage.json(report, out));
            default -> {
                Path file = context.output != null ? context.output : Path.of("warden-report.html");
                context.write(file, out -> SupplyChainPage.html(report, out));
                Map<SupplyChainReport.Status, Integer> counts = SupplyChainPage.summary(report);
                context.spec.commandLine().getOut().printf("warden report: %s (%d on target, %d missed, %d not "
                                + "measured)%n", context.env().workingDirectory().resolve(file).normalize(),
                        counts.get(SupplyChainReport.Status.MET), counts.get(SupplyChainReport.Status.MISSED),
                        counts.get(SupplyChainReport.Status.UNMEASURED));
                context.spec.commandLine().getOut().flush();
            }
        }
        return Outcome.OK;
    }

    /**
     * {@code YYYY-MM-DD} (the start of that day, UTC), or {@code 30d} / {@code 12w}: the last 30 days (or 12 weeks)
     * including today, as a dashboard counts them.
     */
    static Instant since(String text, Instant now) {
        Matcher relative = RELATIVE.matcher(text.trim());
        if (relative.matches()) {
            long days = Long.parseLong(relative.group(1)) * (relative.group(2).equals("w") ? 7 : 1);
            return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(Math.max(0, days - 1)).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        }
        try {
            return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new WardenException("--since: expected a date (YYYY-MM-DD) or a span such as 30d or 12w, found '"
                    + text.replace('\n', ' ') + "'");
        }
    }
}
