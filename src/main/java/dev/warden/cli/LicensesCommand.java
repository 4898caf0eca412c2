package dev.warden.cli;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.license.LicenseCheck;
import dev.warden.evaluate.license.LicenseExpression;
import dev.warden.evaluate.license.PublishedLicenses;
import dev.warden.evaluate.license.Spdx;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.fortify.policy.Policy;
import dev.warden.recon.publishers.RegistryData;
import dev.warden.report.Format;
import dev.warden.report.FindingsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "licenses", aliases = "licences", description = {
    "Check every crate's licence against [licenses] in warden.toml, as cargo-deny does: SPDX expressions from the",
    "manifests, licence files recognised by their text, clarifications, exceptions, copyleft in binaries."})
final class LicensesCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "The project (default: current "
            + "directory).")
    String path;

    @Option(names = "--fail-level", paramLabel = "SEVERITY", defaultValue = "high",
            description = "Fail on findings at or above this severity (default: ${DEFAULT-VALUE}).")
    Severity failLevel;

    @Option(names = "--list", description = "Also say, crate by crate, which licence was judged, where it came from "
            + "and what was decided.")
    boolean list;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    RegistryDataOption registryData;

    @Mixin
    SourcesOption sources;

    @Mixin
    SarifOption sarif;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.SARIF, Format.MARKDOWN);
        Project project = context.project(path);
        Policy policy = policyOption.load(context.env(), project.root());
        ScannedCrates crates = sources.thirdParty(project, context);
        String policyFile = policy.file() == null ? "warden.toml" : project.display(policy.file());
        LicenseCheck.Result result;
        String registryUsed;
        try (RegistryData registry = registryData.open(context.env()).orElse(null)) {
            registryUsed = registry == null ? null : RegistryDataOption.describe(registry);
            result = new LicenseCheck(policy.licenses(), policyFile, registry == null ? PublishedLicenses.NONE
                    : registry::licenses).evaluate(new CheckContext(project, context.graph(project),
                    Change.whole(project.lockfile()), crates, context.env()));
        }
        List<Finding> findings = result.findings();
        List<String> notes = new ArrayList<>();
        if (!policy.licenses().configured()) {
            // Without an allow list every licence would be rejected: say what is used instead, and what is missing.
            findings = findings.stream().filter(f -> f.rule() != LicenseCheck.REJECTED
                    && f.rule() != LicenseCheck.COPYLEFT).toList();
            notes.add("no [licenses] in " + policyFile + ": licences are listed, not judged; add [licenses] allow = "
                    + "[…] to judge them");
        }
        if (list) {
            result.statuses().forEach(status -> notes.add(describe(status)));
        }
        Verdict judged = Verdict.atOrAbove(findings, failLevel);
        Verdict verdict = new Verdict(judged.findings(), judged.blocking(), notes);

        Map<LicenseCheck.Decision, Integer> decisions = new EnumMap<>(LicenseCheck.Decision.class);
        Map<String, Integer> used = new TreeMap<>();
        for (LicenseCheck.Status status : result.statuses()) {
            decisions.merge(status.decision(), 1, Integer::sum);
            if (status.expression() != null) {
                status.expression().requirements().stream().map(LicenseExpression.Req::toString).distinct()
                        .forEach(id -> used.merge(id, 1, Integer::sum));
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("crates", result.statuses().size() + " checked" + (decisions.isEmpty() ? "" : ": "
                + String.join(", ", decisions.entrySet().stream().map(e -> e.getValue() + " "
                + e.getKey().name().toLowerCase(java.util.Locale.ROOT)).toList())));
        details.put("licences", used.isEmpty() ? "none found" : String.join(", ", used.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).map(e -> e.getKey() + " ("
                + e.getValue() + ")").toList()));
        details.put("SPDX licence list", Spdx.listVersion());
        long fromRegistry = result.statuses().stream().filter(status -> status.from() == LicenseCheck.Origin.REGISTRY_DATA)
                .count();
        if (fromRegistry > 0) {
            details.put("not read here", fromRegistry + (fromRegistry == 1 ? " crate" : " crates")
                    + ", licence as recorded in " + registryUsed);
        }
        details.put("fail level", failLevel.label());
        FindingsReport.Subject subject = new FindingsReport.Subject(project.display(project.lockfile().path()),
                details);
        context.emitFindings(format, "licenses", subject, verdict, sarif, project.display(project.lockfile().path()));
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    /** "ring 0.16.20: unlicensed (LICENSE looks most like …)", one line per crate for --list. */
    private static String describe(LicenseCheck.Status status) {
        StringBuilder line = new StringBuilder(status.pkg().id().nameAndVersion()).append(": ")
                .append(status.decision().name().toLowerCase(java.util.Locale.ROOT));
        if (status.expression() != null) {
            line.append(", ").append(status.expression()).append(" (from ").append(status.from()).append(')');
        }
        if (!status.notes().isEmpty()) {
            line.append("; ").append(String.join("; ", status.notes()));
        }
        return line.toString();
    }
}
