package dev.warden.report;

import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a gate decision: the checks it ran and which of them blocked, then every finding through the shared
 * findings formats; SARIF for code scanning goes through {@link SarifReport}.
 */
public final class GateReport {

    /**
     * The project and base shown in headers, and the data the decision rests on.
     *
     * @param advisories the advisory data used ("1214 advisories from …, as of 2026-08-21")
     * @param index      which registry index was asked about yanked versions and publish dates
     * @param publishers the registry data publishers and owners were checked against, or why they were not
     */
    public record Subject(String project, String base, int packages, String advisories, String index,
                          String publishers) {
    }

    private GateReport() {
    }

    public static void text(Subject subject, Gate.Result result, DecisionLog.Metrics metrics, PrintWriter out) {
        FindingsReport.text("gate", findingsSubject(subject, result), result.verdict(), out);
        out.println();
        for (Gate.CheckResult check : result.checks()) {
            out.printf("  %s %-10s %s%n", check.passed() ? "pass" : "FAIL", check.check(), counts(check));
        }
        out.println(decision(result));
        out.printf(Locale.ROOT, "recorded: %d gate runs, %d of %d dependency changes blocked, %.0f%% of runs "
                        + "--locked-clean, %.0f%% of registry crates from a private registry or mirror%n",
                metrics.runs(), metrics.blockedChanges(), metrics.dependencyChanges(), metrics.lockedShare() * 100,
                metrics.privateShare() * 100);
    }

    public static void markdown(Subject subject, Gate.Result result, PrintWriter out) {
        FindingsReport.limited(out, writer -> comment(subject, result, writer));
    }

    /** The decision and the check table first, so that a comment cut for length still says what was decided. */
    private static void comment(Subject subject, Gate.Result result, PrintWriter out) {
        FindingsReport.comment("gate", findingsSubject(subject, result), result.verdict(), out, top -> {
            top.println();
            top.println("**" + decision(result) + "**");
            top.println();
            top.println("| check | result | findings |");
            top.println("|---|---|---|");
            for (Gate.CheckResult check : result.checks()) {
                top.printf("| %s | %s | %s |%n", check.check(), check.passed() ? "✅ pass" : "❌ blocked",
                        counts(check));
            }
        });
        if (result.diff() != null && !result.diff().reviews().isEmpty()) {
            out.println();
            out.println("<details><summary>Dependency changes (risk " + result.diff().risk().score() + "/100)</summary>");
            DiffReport.changeTable(result.diff(), result.verdict(), out);
            out.println();
            out.println("</details>");
        }
    }

    public static void json(Subject subject, Gate.Result result, DecisionLog.Metrics metrics, PrintWriter out) {
        Verdict verdict = result.verdict();
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("command", "gate");
            json.writeStringField("project", subject.project());
            JsonOutput.stringOrNull(json, "base", subject.base());
            json.writeBooleanField("blocked", result.blocked());
            json.writeBooleanField("locked", result.locked());
            json.writeNumberField("privateRegistryShare", result.privateShare());
            json.writeStringField("advisoryData", subject.advisories());
            json.writeStringField("registryIndex", subject.index());
            json.writeStringField("publishers", subject.publishers());
            json.writeObjectFieldStart("coverage");
            json.writeNumberField("asked", result.coverage().asked());
            json.writeNumberField("judged", result.coverage().judged());
            json.writeNumberField("downloaded", result.coverage().downloaded());
            json.writeNumberField("unverified", result.coverage().unverified());
            json.writeEndObject();
            if (result.diff() != null) {
                json.writeObjectFieldStart("risk");
                json.writeNumberField("score", result.diff().risk().score());
                json.writeStringField("level", result.diff().risk().label());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("checks");
            for (Gate.CheckResult check : result.checks()) {
                json.writeStartObject();
                json.writeStringField("name", check.check());
                json.writeBooleanField("passed", check.passed());
                json.writeNumberField("findingCount", check.findings().size());
                json.writeNumberField("blocking", check.blocking().size());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("findings");
            for (Finding finding : FindingsReport.sorted(verdict)) {
                FindingJson.write(json, finding, verdict.isBlocking(finding));
            }
            json.writeEndArray();
            JsonOutput.strings(json, "notes", verdict.notes());
            json.writeObjectFieldStart("metrics");
            json.writeNumberField("runs", metrics.runs());
            json.writeNumberField("blockedRuns", metrics.blockedRuns());
            json.writeNumberField("dependencyChanges", metrics.dependencyChanges());
            json.writeNumberField("blockedChanges", metrics.blockedChanges());
            json.writeNumberField("lockedShare", metrics.lockedShare());
            json.writeNumberField("privateRegistryShare", metrics.privateShare());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static FindingsReport.Subject findingsSubject(Subject subject, Gate.Result result) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("base", subject.base() == null ? "none (every third-party crate is judged)" : subject.base());
        details.put("from source", coverage(result.coverage()));
        details.put("advisory data", subject.advisories());
        details.put("registry index", subject.index());
        details.put("publishers", subject.publishers());
        details.put("--locked", result.locked() ? "yes, Cargo.lock matches the manifests" : "no");
        details.put("private registry", Math.round(result.privateShare() * 100) + "% of registry packages");
        if (result.diff() != null) {
            details.put("risk", result.diff().risk().score() + "/100 (" + result.diff().risk().label() + ")");
        }
        return new FindingsReport.Subject(subject.project() + " (" + subject.packages() + " packages)", details);
    }

    /** "4 of 4 crates judged from source (4 downloaded)", or how many could not be read. */
    static String coverage(Gate.Coverage coverage) {
        if (coverage.asked() == 0) {
            return "no third-party code to judge";
        }
        String text = coverage.judged() + " of " + coverage.asked() + " crate" + (coverage.asked() == 1 ? "" : "s")
                + " judged from source" + (coverage.downloaded() > 0 ? " (" + coverage.downloaded()
                + " downloaded and verified)" : "");
        return coverage.unverified() == 0 ? text : text + "; " + coverage.unverified() + " unverified";
    }

    private static String counts(Gate.CheckResult check) {
        if (check.findings().isEmpty()) {
            return "no findings";
        }
        return check.findings().size() + " finding" + (check.findings().size() == 1 ? "" : "s") + ", "
                + check.blocking().size() + " blocking";
    }

    private static String decision(Gate.Result result) {
        if (!result.blocked()) {
            return "decision: PASS";
        }
        return "decision: BLOCKED by " + result.checks().stream().filter(c -> !c.passed())
                .map(Gate.CheckResult::check).collect(Collectors.joining(", "));
    }
}
