package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.cargo.change.PackageChange;
import dev.warden.cargo.lock.PackageId;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.scan.Capability;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.DataFlow;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code warden diff} output: text for a terminal, Markdown for a pull-request comment, JSON (stable):
 * <pre>{"before","after","risk":{"score","level"},"summary":{"added",…,"findingCount","blocking"},
 *  "changes":[{"name","kind","from","to","fromSource","fromSourceKind","toSource","toSourceKind","reviewed",
 *    "buildScript","procMacro",
 *    "unsafe":{"before","after"},"capabilitiesAdded":[…],"capabilitiesRemoved":[…],
 *    "flowsAdded":[{"role","source","sink","steps":[{"what","file","line"}]}],"pulledIn":[…],
 *    "introducedBy":[…],"findings":[…]}]}</pre>
 */
public final class DiffReport {

    /** What was compared: the two lockfiles as the user named them, and the fail policy in words. */
    public record Subject(String before, String after, String policy) {
    }

    private static final Comparator<SecurityDiff.Review> BY_RISK = Comparator
            .comparing((SecurityDiff.Review r) -> worst(r).map(Enum::ordinal).orElse(-1)).reversed()
            .thenComparing(r -> r.change().name());

    private DiffReport() {
    }

    public static void text(Subject subject, SecurityDiff.Result result, Verdict verdict, PrintWriter out) {
        out.println("diff: " + subject.before() + " → " + subject.after());
        out.println("  " + counts(result));
        out.println("  risk: " + result.risk().label() + " (" + result.risk().score() + "/100); " + subject.policy());
        if (incoming(result) > 0) {
            out.println("  " + reviewed(result));
        }
        for (SecurityDiff.Review review : reviews(result)) {
            out.println();
            PackageChange change = review.change();
            out.printf("%s %s [%s]%n", change.name(), change.versions(), change.kind().label());
            if (!review.introducedBy().isEmpty()) {
                out.println("  via " + names(review.introducedBy()));
            }
            if (!review.capabilitySummary().isEmpty()) {
                out.println("  " + review.capabilitySummary());
            }
            review.flowStories().forEach(story -> out.println("  " + story));
            for (Finding finding : sorted(review.allFindings())) {
                out.printf("  %s[%s] %s%n", verdict.isBlocking(finding) ? "error" : finding.severity().label(),
                        finding.id(), finding.message());
                if (!finding.evidence().isEmpty()) {
                    out.println("    at " + evidence(finding));
                }
            }
        }
        out.println();
        out.println(FindingsReport.summaryLine(verdict));
    }

    /** A pull-request comment: verdict and risk, a table of changes, then the findings that matter. */
    public static void markdown(Subject subject, SecurityDiff.Result result, Verdict verdict, PrintWriter out) {
        FindingsReport.limited(out, writer -> comment(subject, result, verdict, writer));
    }

    private static void comment(Subject subject, SecurityDiff.Result result, Verdict verdict, PrintWriter out) {
        long unreviewed = unreviewed(result);
        out.println("### Warden dependency review: " + (verdict.blocked() ? "❌ blocked"
                : unreviewed > 0 ? "⚠️ not fully reviewed"
                : verdict.findings().stream().anyMatch(f -> f.severity() != Severity.INFO) ? "⚠️ passed with warnings"
                : "✅ clean") + " — risk **" + result.risk().label() + "** (" + result.risk().score() + "/100)");
        out.println();
        out.println("`" + FindingsReport.md(subject.before()) + "` → `" + FindingsReport.md(subject.after()) + "`: "
                + counts(result) + ". " + FindingsReport.summaryLine(verdict) + "; " + subject.policy() + "."
                + (incoming(result) == 0 ? "" : " " + reviewed(result) + "."));
        if (result.reviews().isEmpty()) {
            return;
        }
        changeTable(result, verdict, out);
        List<Finding> notable = FindingsReport.sorted(verdict).stream()
                .filter(f -> f.severity() != Severity.INFO).toList();
        if (notable.isEmpty()) {
            return;
        }
        out.println();
        out.println("<details" + (verdict.blocked() ? " open" : "") + "><summary>Findings</summary>");
        out.println();
        for (Finding finding : notable) {
            out.printf("- %s **%s** `%s` %s: %s%s%n", verdict.isBlocking(finding) ? "❌" : "⚠️",
                    finding.severity().label(), finding.id(), "`" + finding.crate() + " " + finding.version() + "`",
                    FindingsReport.md(finding.message()),
                    finding.evidence().isEmpty() ? "" : " (" + FindingsReport.md(evidence(finding)) + ")");
        }
        out.println();
        out.println("</details>");
    }

    /** One row per changed crate: the version change and what is new in it. */
    static void changeTable(SecurityDiff.Result result, Verdict verdict, PrintWriter out) {
        out.println();
        out.println("| | crate | change | what is new |");
        out.println("|---|---|---|---|");
        for (SecurityDiff.Review review : reviews(result)) {
            PackageChange change = review.change();
            StringBuilder what = new StringBuilder(review.capabilitySummary());
            review.flowStories().forEach(story -> append(what, story));
            if (!review.introducedBy().isEmpty()) {
                append(what, "via " + names(review.introducedBy()));
            }
            if (!review.pulledIn().isEmpty()) {
                append(what, "pulls in " + names(review.pulledIn().stream().map(c -> c.after().id()).toList()));
            }
            if (bringsThirdParty(review) && !review.compared()) {
                append(what, "code not reviewed (source could not be read)");
            }
            String mark = review.allFindings().stream().anyMatch(verdict::isBlocking) ? "❌"
                    : worst(review).filter(s -> s != Severity.INFO).isPresent() ? "⚠️" : "";
            out.printf("| %s | `%s` | %s (%s) | %s |%n", mark, change.name(), FindingsReport.md(change.versions()),
                    change.kind().label(), FindingsReport.md(what.toString()));
        }
    }

    public static void json(Subject subject, SecurityDiff.Result result, Verdict verdict, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("before", subject.before());
            json.writeStringField("after", subject.after());
            json.writeObjectFieldStart("risk");
            json.writeNumberField("score", result.risk().score());
            json.writeStringField("level", result.risk().label());
            json.writeEndObject();
            json.writeObjectFieldStart("summary");
            for (Map.Entry<PackageChange.Kind, Long> count : kindCounts(result).entrySet()) {
                json.writeNumberField(JsonOutput.key(count.getKey().label()), count.getValue());
            }
            json.writeNumberField("findingCount", verdict.findings().size());
            json.writeNumberField("blocking", verdict.blocking().size());
            json.writeNumberField("reviewedFromSource", incoming(result) - unreviewed(result));
            json.writeNumberField("unreviewed", unreviewed(result));
            json.writeEndObject();
            json.writeArrayFieldStart("changes");
            for (SecurityDiff.Review review : result.reviews()) {
                change(json, review, verdict);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void change(JsonGenerator json, SecurityDiff.Review review, Verdict verdict) throws IOException {
        PackageChange change = review.change();
        json.writeStartObject();
        json.writeStringField("name", change.name());
        json.writeStringField("kind", change.kind().label());
        JsonOutput.stringOrNull(json, "from", change.before() == null ? null : change.before().version());
        JsonOutput.stringOrNull(json, "to", change.after() == null ? null : change.after().version());
        JsonOutput.source(json, "fromSource", change.before());
        JsonOutput.source(json, "toSource", change.after());
        json.writeBooleanField("reviewed", review.compared());
        CrateScan after = review.afterScan();
        if (after != null) {
            json.writeBooleanField("buildScript", after.hasBuildScript());
            json.writeBooleanField("procMacro", after.procMacro());
            json.writeObjectFieldStart("unsafe");
            if (review.beforeScan() != null) {
                json.writeNumberField("before", review.beforeScan().unsafeTotal().total());
            }
            json.writeNumberField("after", after.unsafeTotal().total());
            json.writeEndObject();
        }
        JsonOutput.strings(json, "capabilitiesAdded", review.gained().stream().sorted().map(Capability::toString).toList());
        JsonOutput.strings(json, "capabilitiesRemoved", review.lost().stream().sorted().map(Capability::toString).toList());
        json.writeArrayFieldStart("flowsAdded");
        for (CrateScan.Flow flow : review.newFlows()) {
            json.writeStartObject();
            json.writeStringField("role", flow.role().key());
            json.writeStringField("source", flow.chain().source().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            json.writeStringField("sink", flow.chain().sink().name().toLowerCase(Locale.ROOT));
            json.writeArrayFieldStart("steps");
            for (DataFlow.Step step : flow.chain().steps()) {
                json.writeStartObject();
                json.writeStringField("what", step.what());
                json.writeStringField("file", step.file());
                json.writeNumberField("line", step.line());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        JsonOutput.strings(json, "pulledIn", review.pulledIn().stream().map(c -> c.after().id().nameAndVersion()).toList());
        JsonOutput.strings(json, "introducedBy", review.introducedBy().stream().map(PackageId::nameAndVersion).toList());
        json.writeArrayFieldStart("findings");
        for (Finding finding : sorted(review.allFindings())) {
            FindingJson.write(json, finding, verdict.isBlocking(finding));
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static List<SecurityDiff.Review> reviews(SecurityDiff.Result result) {
        return result.reviews().stream().sorted(BY_RISK).toList();
    }

    private static Optional<Severity> worst(SecurityDiff.Review review) {
        return review.allFindings().stream().map(Finding::severity).max(Comparator.naturalOrder());
    }

    private static List<Finding> sorted(List<Finding> findings) {
        return findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    private static Map<PackageChange.Kind, Long> kindCounts(SecurityDiff.Result result) {
        Map<PackageChange.Kind, Long> counts = new EnumMap<>(PackageChange.Kind.class);
        for (PackageChange.Kind kind : PackageChange.Kind.values()) {
            counts.put(kind, 0L);
        }
        result.reviews().forEach(r -> counts.merge(r.change().kind(), 1L, Long::sum));
        return counts;
    }

    /** Changes that bring third-party code (added, upgraded, moved): those whose code must be read. */
    private static long incoming(SecurityDiff.Result result) {
        return result.reviews().stream().filter(DiffReport::bringsThirdParty).count();
    }

    private static long unreviewed(SecurityDiff.Result result) {
        return result.reviews().stream().filter(r -> bringsThirdParty(r) && !r.compared()).count();
    }

    private static boolean bringsThirdParty(SecurityDiff.Review review) {
        return review.change().after() != null && review.change().after().source() != null;
    }

    /** "3 of 3 changed crates reviewed from source", or a warning that an all-clear cannot be given. */
    private static String reviewed(SecurityDiff.Result result) {
        long incoming = incoming(result);
        long unreviewed = unreviewed(result);
        String line = (incoming - unreviewed) + " of " + incoming + " changed crate" + (incoming == 1 ? "" : "s")
                + " reviewed from source";
        return unreviewed == 0 ? line : line + ": cannot call this clean";
    }

    /** "1 added, 1 upgraded", or "no crate changed". */
    private static String counts(SecurityDiff.Result result) {
        String text = kindCounts(result).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "));
        return text.isEmpty() ? "no crate changed" : text;
    }

    private static String evidence(Finding finding) {
        return FindingsReport.locations(finding, 5);
    }

    private static void append(StringBuilder text, String part) {
        text.append(text.isEmpty() ? "" : "; ").append(part);
    }

    private static String names(List<PackageId> ids) {
        return ids.stream().map(PackageId::nameAndVersion).collect(Collectors.joining(", "));
    }
}
