package dev.warden.report;

import dev.warden.cargo.change.PackageChange;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.recon.churn.Churn;
import dev.warden.recon.churn.LockfileHistory;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code warden churn} output. Repository JSON: {@code {"repository","head","commits","recentCommits","authors",
 * "newAuthors","releases":[{"tag","date"}],"releaseIntervalDays","range":{"from","to","commits","filesChanged",
 * "linesAdded","linesRemoved","authors","newAuthors"},"findings"}}. Lockfile JSON: {@code {"lockfile","changes":
 * [{"commit","date","subject","added","removed","upgraded",…}],"updatesByCrate":{…},"newCrates","unreadable"}}.
 */
public final class ChurnReport {

    private ChurnReport() {
    }

    public static void text(Churn churn, Verdict verdict, long windowDays, PrintWriter out) {
        out.printf("churn: %s (%s)%n", churn.repository(), churn.head());
        out.printf("  %d commits, %d in the last %d days, %d authors%n", churn.commits(), churn.recentCommits(),
                windowDays, churn.authors().size());
        out.println("  most active: " + String.join(", ", churn.authors().stream().limit(5).toList()));
        if (!churn.releases().isEmpty()) {
            Churn.Release latest = churn.releases().getLast();
            out.printf(Locale.ROOT, "  %d releases, latest %s on %s%s%n", churn.releases().size(), latest.tag(),
                    latest.date().toString().substring(0, 10), churn.releaseIntervalDays() < 0 ? ""
                            : String.format(Locale.ROOT, ", one every %.0f days", churn.releaseIntervalDays()));
        }
        Churn.Range range = churn.range();
        if (range != null) {
            out.printf("  %s..%s: %d commits, %d files, +%d -%d lines, by %s%n", range.from(), range.to(),
                    range.commits(), range.filesChanged(), range.linesAdded(), range.linesRemoved(),
                    String.join(", ", range.authors()));
        }
        findings(verdict, out);
    }

    public static void json(Churn churn, Verdict verdict, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("repository", churn.repository());
            json.writeStringField("head", churn.head());
            json.writeNumberField("commits", churn.commits());
            json.writeNumberField("recentCommits", churn.recentCommits());
            JsonOutput.strings(json, "authors", churn.authors());
            JsonOutput.strings(json, "newAuthors", churn.newAuthors());
            json.writeArrayFieldStart("releases");
            for (Churn.Release release : churn.releases()) {
                json.writeStartObject();
                json.writeStringField("tag", release.tag());
                json.writeStringField("date", release.date().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("releaseIntervalDays", Math.round(churn.releaseIntervalDays() * 10) / 10.0);
            Churn.Range range = churn.range();
            if (range != null) {
                json.writeObjectFieldStart("range");
                json.writeStringField("from", range.from());
                json.writeStringField("to", range.to());
                json.writeNumberField("commits", range.commits());
                json.writeNumberField("filesChanged", range.filesChanged());
                json.writeNumberField("linesAdded", range.linesAdded());
                json.writeNumberField("linesRemoved", range.linesRemoved());
                JsonOutput.strings(json, "authors", range.authors());
                JsonOutput.strings(json, "newAuthors", range.newAuthors());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("findings");
            for (Finding finding : FindingsReport.sorted(verdict)) {
                FindingJson.write(json, finding, verdict.isBlocking(finding));
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    public static void text(LockfileHistory history, long windowDays, PrintWriter out) {
        out.printf("churn: %s, %d changes in the last %d days%n", history.lockfile(), history.changes().size(),
                windowDays);
        for (LockfileHistory.Change change : history.changes()) {
            out.printf("  %s %s %s — %s%n", change.commit(), change.date().toString().substring(0, 10),
                    change.subject(), counts(change.counts()));
        }
        if (!history.updatesByCrate().isEmpty()) {
            out.println("  updated most: " + history.updatesByCrate().entrySet().stream().limit(10)
                    .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
        }
        if (!history.newCrates().isEmpty()) {
            out.println("  new crates: " + String.join(", ", history.newCrates()));
        }
        if (history.unreadable() > 0) {
            out.println("  " + history.unreadable() + " versions of the lockfile could not be read and were skipped");
        }
    }

    public static void json(LockfileHistory history, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("lockfile", history.lockfile());
            json.writeArrayFieldStart("changes");
            for (LockfileHistory.Change change : history.changes()) {
                json.writeStartObject();
                json.writeStringField("commit", change.commit());
                json.writeStringField("date", change.date().toString());
                json.writeStringField("subject", change.subject());
                for (PackageChange.Kind kind : PackageChange.Kind.values()) {
                    json.writeNumberField(JsonOutput.key(kind.label()), change.counts().getOrDefault(kind, 0));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("updatesByCrate");
            for (Map.Entry<String, Integer> entry : history.updatesByCrate().entrySet()) {
                json.writeNumberField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            JsonOutput.strings(json, "newCrates", history.newCrates());
            json.writeNumberField("unreadable", history.unreadable());
            json.writeEndObject();
        });
    }

    private static String counts(Map<PackageChange.Kind, Integer> counts) {
        String text = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
        return text.isEmpty() ? "no crate changed" : text;
    }

    private static void findings(Verdict verdict, PrintWriter out) {
        for (Finding finding : FindingsReport.sorted(verdict)) {
            out.printf("%n%s[%s] %s%n", verdict.isBlocking(finding) ? "error" : finding.severity().label(),
                    finding.id(), finding.message());
        }
        out.println();
        out.println(FindingsReport.summaryLine(verdict));
    }
}
