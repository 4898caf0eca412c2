package dev.warden.report;

import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Verdict} for people: text for the terminal, Markdown for a pull-request comment, and the
 * shared JSON document for machines:
 * <pre>{"command","subject":{…},"summary":{"findings","blocking","bySeverity":{…}},"notes":[…],"findings":[…]}</pre>
 */
public final class FindingsReport {

    /** What was checked, shown in headers: e.g. "Cargo.lock (1209 packages)" and the data used. */
    public record Subject(String what, Map<String, String> details) {
    }

    private static final Comparator<Finding> ORDER = Comparator
            .comparing((Finding f) -> f.severity()).reversed()
            .thenComparing(f -> f.crate() == null ? "" : f.crate())
            .thenComparing(Finding::message);

    private FindingsReport() {
    }

    static List<Finding> sorted(Verdict verdict) {
        return verdict.findings().stream().sorted(ORDER).toList();
    }

    public static void text(String command, Subject subject, Verdict verdict, PrintWriter out) {
        out.println(command + ": " + subject.what());
        subject.details().forEach((k, v) -> out.println("  " + k + ": " + v));
        for (Finding finding : sorted(verdict)) {
            out.println();
            out.printf("%s[%s] %s%n", verdict.isBlocking(finding) ? "error" : "warning", finding.id(), finding.message());
            if (finding.crate() != null) {
                out.println("  crate:    " + finding.crate() + (finding.version() == null ? "" : " " + finding.version()));
            }
            String score = finding.attributes().get("score");
            out.println("  severity: " + finding.severity().label() + (score == null ? ""
                    : " (CVSS " + score + ", " + finding.attributes().get("cvss") + ")"));
            for (String key : List.of("solution", "aliases", "functions", "os", "arch", "target", "url", "path")) {
                String value = finding.attributes().get(key);
                if (value != null) {
                    out.printf("  %-9s %s%n", key + ":", value);
                }
            }
            for (Evidence evidence : finding.evidence()) {
                out.println("  at:       " + evidence);
            }
        }
        out.println();
        out.println(summaryLine(verdict));
        for (String note : verdict.notes()) {
            out.println("note: " + note);
        }
    }

    static String summaryLine(Verdict verdict) {
        if (verdict.findings().isEmpty()) {
            return "no findings";
        }
        Map<Severity, Long> counts = bySeverity(verdict);
        String severities = counts.entrySet().stream()
                .sorted(Map.Entry.<Severity, Long>comparingByKey().reversed())
                .map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
        return verdict.findings().size() + " finding" + (verdict.findings().size() == 1 ? "" : "s") + " ("
                + severities + "), " + verdict.blocking().size() + " blocking";
    }

    static Map<Severity, Long> bySeverity(Verdict verdict) {
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        for (Finding finding : verdict.findings()) {
            counts.merge(finding.severity(), 1L, Long::sum);
        }
        return counts;
    }

    public static void json(String command, Subject subject, Verdict verdict, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("command", command);
            json.writeObjectFieldStart("subject");
            json.writeStringField("what", subject.what());
            for (Map.Entry<String, String> detail : subject.details().entrySet()) {
                json.writeStringField(detail.getKey(), detail.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("findings", verdict.findings().size());
            json.writeNumberField("blocking", verdict.blocking().size());
            json.writeObjectFieldStart("bySeverity");
            for (Severity severity : Severity.values()) {
                json.writeNumberField(severity.label(), bySeverity(verdict).getOrDefault(severity, 0L));
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeArrayFieldStart("notes");
            for (String note : verdict.notes()) {
                json.writeString(note);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("findings");
            for (Finding finding : sorted(verdict)) {
                FindingJson.write(json, finding, verdict.isBlocking(finding));
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** A pull-request comment: a verdict line, a table of findings, then details for blocking ones. */
    public static void markdown(String command, Subject subject, Verdict verdict, PrintWriter out) {
        out.println("### Warden " + command + ": " + (verdict.blocked() ? "❌ blocked" : verdict.findings().isEmpty()
                ? "✅ clean" : "⚠️ passed with warnings"));
        out.println();
        out.println("Checked " + subject.what() + ". " + summaryLine(verdict) + ".");
        subject.details().forEach((k, v) -> out.println("- " + k + ": " + md(v)));
        if (verdict.findings().isEmpty()) {
            return;
        }
        out.println();
        out.println("| | severity | crate | finding | fix |");
        out.println("|---|---|---|---|---|");
        for (Finding finding : sorted(verdict)) {
            String crate = finding.crate() == null ? "" : "`" + finding.crate()
                    + (finding.version() == null ? "" : " " + finding.version()) + "`";
            String message = md(finding.message());
            String url = finding.attributes().get("url");
            if (url != null) {
                message = "[" + message + "](" + url + ")";
            }
            out.printf("| %s | %s | %s | %s | %s |%n", verdict.isBlocking(finding) ? "❌" : "⚠️",
                    finding.severity().label(), crate, message, md(finding.attributes().getOrDefault("solution", "")));
        }
        List<Finding> withPaths = sorted(verdict).stream()
                .filter(f -> verdict.isBlocking(f) && f.attributes().containsKey("path")).toList();
        if (!withPaths.isEmpty()) {
            out.println();
            out.println("<details><summary>How the blocking crates get in</summary>");
            out.println();
            for (Finding finding : withPaths) {
                out.println("- `" + finding.crate() + "`: " + md(finding.attributes().get("path")));
            }
            out.println();
            out.println("</details>");
        }
        for (String note : verdict.notes()) {
            out.println();
            out.println("_" + md(note) + "_");
        }
    }

    /** A finding's distinct locations on one line, the first {@code max} of them and how many more there are. */
    static String locations(Finding finding, int max) {
        List<String> all = finding.evidence().stream().map(Evidence::toString).distinct().toList();
        return String.join(", ", all.subList(0, Math.min(max, all.size())))
                + (all.size() > max ? " and " + (all.size() - max) + " more" : "");
    }

    /** Escapes the characters that would break a Markdown table cell. */
    static String md(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
