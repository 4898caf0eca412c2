package dev.warden.report;

import dev.warden.core.store.RunTags;
import dev.warden.exercise.IncidentResponse;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders {@code warden ir}: the facts about a crate from the store, then the response checklist. */
public final class IncidentReport {

    private IncidentReport() {
    }

    public static void text(IncidentResponse.Report report, PrintWriter out) {
        String subject = report.crate() + (report.version() == null ? "" : " " + report.version());
        out.println("incident response: " + subject);
        out.println();
        out.println("resolved by " + report.resolvedBy().size() + " gate run" + (report.resolvedBy().size() == 1 ? "" : "s"));
        for (DecisionLog.Run run : report.resolvedBy()) {
            out.printf("  run %d %s %s%s%s: %s%n", run.id(), run.time(), run.project(), where(run.tags()),
                    run.base() == null ? "" : " (base " + run.base() + ")", run.blocked() ? "blocked" : "passed");
        }
        for (DecisionLog.Decision decision : report.decisions()) {
            out.printf("    run %d %s[%s] %s%n", decision.run(), decision.blocking() ? "blocked " : "", decision.rule(),
                    decision.message());
        }
        out.println();
        out.println("ran in " + report.builds().size() + " monitored build" + (report.builds().size() == 1 ? "" : "s"));
        for (IncidentResponse.BuildFacts build : report.builds()) {
            out.printf("  build %d %s %s%s%s%n", build.build().id(), build.build().started(), build.build().project(),
                    where(build.build().tags()), build.build().status() == EventStore.Status.FINISHED ? ""
                    : " (" + build.build().status().name().toLowerCase(Locale.ROOT) + ")");
            out.println("    sandbox: " + build.build().sandbox());
            out.println("    events: " + build.eventsByKind().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", ")));
            list(out, "ran", build.programs());
            list(out, "resolved", build.dnsNames());
            list(out, "connected to", build.connections());
            list(out, "opened", build.files());
            for (EventStore.AlertRow alert : build.alerts()) {
                out.printf("    alert [%s] %s%n", alert.rule(), alert.message());
            }
            out.println("    secrets: " + secrets(build.secrets()));
        }
        out.println();
        out.println("checklist:");
        for (IncidentResponse.Step step : report.checklist()) {
            out.println("  [ ] " + step.action());
            out.println("      because " + step.because());
        }
    }

    /** Where a run happened, for a store that many repositories and hosts share: " [repo on host, CI run 7]". */
    private static String where(RunTags tags) {
        List<String> parts = new ArrayList<>();
        if (tags.repository() != null) {
            parts.add(tags.repository());
        }
        if (tags.host() != null) {
            parts.add("on " + tags.host());
        }
        if (tags.ciRun() != null) {
            parts.add("CI run " + tags.ciRun());
        }
        return parts.isEmpty() ? "" : " [" + String.join(" ", parts) + "]";
    }

    public static void json(IncidentResponse.Report report, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("command", "ir");
            json.writeStringField("crate", report.crate());
            JsonOutput.stringOrNull(json, "version", report.version());
            json.writeArrayFieldStart("gateRuns");
            for (DecisionLog.Run run : report.resolvedBy()) {
                json.writeStartObject();
                json.writeNumberField("id", run.id());
                json.writeStringField("time", run.time().toString());
                json.writeStringField("project", run.project());
                JsonOutput.stringOrNull(json, "base", run.base());
                json.writeBooleanField("blocked", run.blocked());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("decisions");
            for (DecisionLog.Decision decision : report.decisions()) {
                json.writeStartObject();
                json.writeNumberField("run", decision.run());
                json.writeStringField("check", decision.check());
                json.writeStringField("rule", decision.rule());
                json.writeStringField("severity", decision.severity());
                json.writeBooleanField("blocking", decision.blocking());
                json.writeStringField("message", decision.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("builds");
            for (IncidentResponse.BuildFacts build : report.builds()) {
                json.writeStartObject();
                json.writeNumberField("id", build.build().id());
                json.writeStringField("project", build.build().project());
                json.writeStringField("sandbox", build.build().sandbox());
                json.writeObjectFieldStart("events");
                for (Map.Entry<String, Long> kind : build.eventsByKind().entrySet()) {
                    json.writeNumberField(kind.getKey(), kind.getValue());
                }
                json.writeEndObject();
                JsonOutput.strings(json, "programs", build.programs());
                JsonOutput.strings(json, "dns", build.dnsNames());
                JsonOutput.strings(json, "connections", build.connections());
                JsonOutput.strings(json, "files", build.files());
                JsonOutput.strings(json, "alerts", build.alerts().stream().map(EventStore.AlertRow::rule).toList());
                json.writeObjectFieldStart("secretVariables");
                for (Map.Entry<String, EventStore.Exposure> secret : build.secrets().entrySet()) {
                    json.writeStringField(secret.getKey(), secret.getValue().name().toLowerCase(Locale.ROOT));
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonOutput.strings(json, "rotate", report.secretsToRotate().stream().toList());
            json.writeArrayFieldStart("checklist");
            for (IncidentResponse.Step step : report.checklist()) {
                json.writeStartObject();
                json.writeStringField("action", step.action());
                json.writeStringField("because", step.because());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void list(PrintWriter out, String verb, List<String> values) {
        if (!values.isEmpty()) {
            out.println("    " + verb + ": " + String.join(", ", values.stream().limit(8).toList())
                    + (values.size() > 8 ? " and " + (values.size() - 8) + " more" : ""));
        }
    }

    private static String secrets(Map<String, EventStore.Exposure> secrets) {
        if (secrets.isEmpty()) {
            return "none in the environment";
        }
        return secrets.entrySet().stream().map(e -> e.getKey() + " " + switch (e.getValue()) {
            case REAL -> "VISIBLE (real value)";
            case DECOY -> "decoy";
            case REMOVED -> "kept out";
        }).collect(Collectors.joining(", "));
    }
}
