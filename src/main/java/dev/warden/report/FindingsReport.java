package dev.warden.report;

import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders a {@link Verdict} for people: text for the terminal, Markdown for a pull-request comment, and the
 * shared JSON document for machines:
 * <pre>{"command","subject":{…},"summary":{"findingCount","blocking","bySeverity":{…}},"notes":[…],"findings":[…]}</pre>
 */
public final class FindingsReport {

    /** What was checked, shown in headers: e.g. "Cargo.lock (1209 packages)" and the data used. */
    public record Subject(String what, Map<String, String> details) {
    }

    /** What blocks first, then by severity, crate and message. */
    static Comparator<Finding> order(Verdict verdict) {
        return Comparator.comparing((Finding f) -> !verdict.isBlocking(f))
                .thenComparing(Finding::severity, Comparator.reverseOrder())
                .thenComparing(f -> f.crate() == null ? "" : f.crate())
                .thenComparing(Finding::message);
    }

    private FindingsReport() {
    }

    static List<Finding> sorted(Verdict verdict) {
        return verdict.findings().stream().sorted(order(verdict)).toList();
    }

    /**
     * Findings that say the same thing about different crates — same rule, severity and decision, and the same message
     * once the crate's name and version are taken out — shown once with the list of crates. Hundreds of identical
     * "could not be read (offline)" lines tell a reviewer less than one line with a count.
     *
     * @param findings the members, in report order; one finding is a group of one
     */
    record Group(List<Finding> findings) {

        Finding first() {
            return findings.getFirst();
        }

        boolean single() {
            return findings.size() == 1;
        }

        /** The shared message, with the crate written as {@code {crate}} when the group has more than one. */
        String message() {
            return single() ? first().message() : template(first());
        }

        /** "a 1.0, b 2.0, … and 196 more" */
        String crates(int max) {
            List<String> names = findings.stream().map(f -> f.crate() + (f.version() == null ? "" : " " + f.version()))
                    .toList();
            return String.join(", ", names.subList(0, Math.min(max, names.size())))
                    + (names.size() > max ? ", … and " + (names.size() - max) + " more" : "");
        }
    }

    /** Groups of at least this many are folded into one entry. */
    static final int GROUP_AT = 3;

    static List<Group> grouped(Verdict verdict) {
        Map<String, List<Finding>> byKey = new LinkedHashMap<>();
        List<Group> groups = new ArrayList<>();
        for (Finding finding : sorted(verdict)) {
            // Advisories are each their own story (id, fix, path), and findings about no crate have nothing to fold.
            if (finding.crate() == null || finding.attributes().containsKey("advisory")) {
                groups.add(new Group(List.of(finding)));
                continue;
            }
            String key = finding.id() + "\0" + finding.severity() + "\0" + verdict.isBlocking(finding) + "\0"
                    + template(finding);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(finding);
        }
        for (List<Finding> members : byKey.values()) {
            if (members.size() >= GROUP_AT) {
                groups.add(new Group(members));
            } else {
                members.forEach(f -> groups.add(new Group(List.of(f))));
            }
        }
        groups.sort(Comparator.comparing(Group::first, order(verdict)));
        return groups;
    }

    private static String template(Finding finding) {
        String message = finding.message();
        if (finding.crate() == null) {
            return message;
        }
        // Whole names only: "ff" must not turn "offline" into "o{crate}line".
        String name = "(?<![\\w-])" + Pattern.quote(finding.crate());
        if (finding.version() != null) {
            message = message.replaceAll(name + " " + Pattern.quote(finding.version())
                    + "(?![\\w.-])", "{crate}");
        }
        return message.replaceAll(name + "(?![\\w-])", "{crate}");
    }

    public static void text(String command, Subject subject, Verdict verdict, PrintWriter out) {
        out.println(command + ": " + subject.what());
        subject.details().forEach((k, v) -> out.println("  " + k + ": " + v));
        for (Group group : grouped(verdict)) {
            Finding finding = group.first();
            out.println();
            out.printf("%s[%s]%s %s%n", verdict.isBlocking(finding) ? "error" : "warning", finding.id(),
                    group.single() ? "" : " ×" + group.findings().size(), group.message());
            if (!group.single()) {
                out.println("  crates:   " + group.crates(20));
                out.println("  severity: " + finding.severity().label());
                continue;
            }
            if (finding.crate() != null) {
                out.println("  crate:    " + finding.crate() + (finding.version() == null ? "" : " " + finding.version()));
            }
            String score = finding.attributes().get("score");
            out.println("  severity: " + finding.severity().label() + (score == null ? ""
                    : " (CVSS " + score + ", " + finding.attributes().get("cvss") + ")"));
            for (String key : List.of("chain", "solution", "aliases", "functions", "os", "arch", "target", "url", "path")) {
                String value = finding.attributes().get(key);
                if (value != null) {
                    out.printf("  %-9s %s%n", key + ":", value);
                }
            }
            // One line per place: a chain's steps and the signals behind it often share lines.
            finding.evidence().stream().map(Evidence::toString).distinct()
                    .forEach(place -> out.println("  at:       " + place));
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
                json.writeStringField(camelCase(detail.getKey()), detail.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("findingCount", verdict.findings().size());
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
        limited(out, writer -> comment(command, subject, verdict, writer, top -> { }));
    }

    /** @param afterSummary what the command adds right below the summary, before the findings */
    static void comment(String command, Subject subject, Verdict verdict, PrintWriter out,
                        Consumer<PrintWriter> afterSummary) {
        out.println("### Warden " + command + ": " + (verdict.blocked() ? "❌ blocked" : verdict.findings().isEmpty()
                ? "✅ clean" : "⚠️ passed with warnings"));
        out.println();
        out.println("Checked " + subject.what() + ". " + summaryLine(verdict) + ".");
        subject.details().forEach((k, v) -> out.println("- " + k + ": " + md(v)));
        afterSummary.accept(out);
        if (verdict.findings().isEmpty()) {
            return;
        }
        out.println();
        out.println("| | severity | crate | finding | fix |");
        out.println("|---|---|---|---|---|");
        for (Group group : grouped(verdict)) {
            Finding finding = group.first();
            String crate = group.single() ? finding.crate() == null ? "" : "`" + finding.crate()
                    + (finding.version() == null ? "" : " " + finding.version()) + "`"
                    : group.findings().size() + " crates: " + md(group.crates(15));
            String message = md(group.message());
            String url = finding.attributes().get("url");
            if (url != null) {
                message = "[" + message + "](" + url + ")";
            }
            message = "`" + finding.id() + "` " + message;
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

    /** What a pull-request comment may hold: GitHub refuses comments over 65,536 characters. */
    static final int MARKDOWN_LIMIT = 60_000;

    /**
     * Writes a Markdown report, cut at a line boundary below {@link #MARKDOWN_LIMIT} when it is longer — what blocks
     * comes first, so the tail is what matters least — with open {@code <details>} closed and a note saying where the
     * whole report is.
     */
    static void limited(PrintWriter out, Consumer<PrintWriter> report) {
        StringWriter buffer = new StringWriter();
        try (PrintWriter writer = new PrintWriter(buffer)) {
            report.accept(writer);
        }
        String text = buffer.toString();
        if (text.length() <= MARKDOWN_LIMIT) {
            out.print(text);
            return;
        }
        String note = "\n_This comment was cut at " + MARKDOWN_LIMIT + " characters (GitHub's limit is 65,536); "
                + "the rest is in the full report: run with `--format json --output warden.json` and keep it as a "
                + "job artifact._\n";
        int cut = text.lastIndexOf('\n', MARKDOWN_LIMIT - note.length() - 64);
        String kept = text.substring(0, Math.max(0, cut + 1));
        long left = kept.lines().filter(l -> l.startsWith("| ") || l.startsWith("- ")).count();
        long all = text.lines().filter(l -> l.startsWith("| ") || l.startsWith("- ")).count();
        StringBuilder closed = new StringBuilder(kept);
        int open = count(kept, "<details") - count(kept, "</details>");
        for (int i = 0; i < open; i++) {
            closed.append("\n</details>\n");
        }
        closed.append(note.replace("the rest is", (all - left) + " more rows are"));
        out.print(closed);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** A header label as a JSON key: "advisory data" → {@code advisoryData}, "--locked" → {@code locked}. */
    static String camelCase(String label) {
        StringBuilder key = new StringBuilder();
        for (String word : label.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                key.append(key.isEmpty() ? word.toLowerCase(Locale.ROOT)
                        : Character.toUpperCase(word.charAt(0)) + word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return key.toString();
    }

    /** Escapes the characters that would break a Markdown table cell. */
    static String md(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
