package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.SecretNames;
import dev.warden.expose.BuildEvent;
import dev.warden.limit.BuildRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code warden build} summary. JSON: {@code {"build","command","protection","removedVariables","exitCode","unmonitored",
 * "metrics":{"syscalls","events","blockedEgress","egressAlerts","firstSeenDomains","detectionLatencyMs",
 * "durationMs"},"events":[{"time","kind","pid","role","crate","process","target","detail","error"}],
 * "findings":[…],"log"}}}.
 */
public final class BuildReport {

    private BuildReport() {
    }

    public static void text(String command, BuildRunner.Result result, Verdict verdict, String log, PrintWriter out) {
        out.println("build #" + result.buildId() + ": " + command);
        out.println("  protection: " + result.protection());
        List<String> secrets = result.removedVariables().stream().filter(SecretNames::looksSecret).toList();
        int others = result.removedVariables().size() - secrets.size();
        out.println("  environment: " + (secrets.isEmpty() ? "no secrets to keep out" : "kept out "
                + String.join(", ", secrets) + " (decoys planted in their place)") + (others == 0 ? ""
                : "; " + others + " other variables not on the allowlist left out"));
        out.println("  exit status: " + result.exitCode());
        if (result.unmonitored() != null) {
            out.println("  monitor: LOST: " + result.unmonitored() + "; the build was killed");
        }
        BuildRunner.Metrics m = result.metrics();
        out.printf("  events: %d (%s) from %d traced calls; blocked egress: %d; egress alerts: %d; first-seen "
                        + "domains: %d%s%n", m.events(), kinds(result), m.syscalls(), m.blockedEgress(), m.egressAlerts(),
                m.firstSeenDomains(), m.detectionLatencyMicros() < 0 ? ""
                        : "; detection latency: " + Math.round(m.detectionLatencyMicros() / 1000.0) + " ms");
        out.println("  log: " + log + " (warden events --build " + result.buildId() + ")");
        for (Finding finding : FindingsReport.sorted(verdict)) {
            out.println();
            out.printf("%s[%s] %s%n", verdict.isBlocking(finding) ? "error" : "warning", finding.id(),
                    finding.message());
            if (finding.crate() != null) {
                out.println("  crate:    " + finding.crate());
            }
            out.println("  severity: " + finding.severity().label());
            new TreeMap<>(finding.attributes()).forEach((k, v) -> out.printf("  %-9s %s%n", k + ":", v));
        }
        out.println();
        out.println(FindingsReport.summaryLine(verdict));
    }

    private static String kinds(BuildRunner.Result result) {
        Map<BuildEvent.Kind, Long> counts = new EnumMap<>(BuildEvent.Kind.class);
        result.events().forEach(e -> counts.merge(e.kind(), 1L, Long::sum));
        return counts.isEmpty() ? "none" : counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
    }

    public static void json(String command, BuildRunner.Result result, Verdict verdict, String log, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeNumberField("build", result.buildId());
            json.writeStringField("command", command);
            json.writeStringField("protection", result.protection());
            JsonOutput.strings(json, "removedVariables", result.removedVariables());
            json.writeNumberField("exitCode", result.exitCode());
            JsonOutput.stringOrNull(json, "unmonitored", result.unmonitored());
            BuildRunner.Metrics m = result.metrics();
            json.writeObjectFieldStart("metrics");
            json.writeNumberField("syscalls", m.syscalls());
            json.writeNumberField("events", m.events());
            json.writeNumberField("blockedEgress", m.blockedEgress());
            json.writeNumberField("egressAlerts", m.egressAlerts());
            json.writeNumberField("firstSeenDomains", m.firstSeenDomains());
            json.writeNumberField("detectionLatencyMs", m.detectionLatencyMicros() < 0 ? -1
                    : m.detectionLatencyMicros() / 1000.0);
            json.writeNumberField("durationMs", m.durationMillis());
            json.writeEndObject();
            json.writeArrayFieldStart("events");
            for (BuildEvent event : result.events()) {
                event(json, event);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("findings");
            for (Finding finding : FindingsReport.sorted(verdict)) {
                FindingJson.write(json, finding, verdict.isBlocking(finding));
            }
            json.writeEndArray();
            json.writeStringField("log", log);
            json.writeEndObject();
        });
    }

    private static void event(JsonGenerator json, BuildEvent event) throws IOException {
        json.writeStartObject();
        json.writeNumberField("time", event.micros());
        json.writeStringField("kind", event.kind().label());
        json.writeNumberField("pid", event.pid());
        json.writeStringField("role", event.actor().role().label());
        JsonOutput.stringOrNull(json, "crate", event.actor().blamed());
        json.writeStringField("process", event.actor().program());
        json.writeStringField("target", event.target());
        JsonOutput.stringOrNull(json, "detail", event.detail());
        JsonOutput.stringOrNull(json, "error", event.error());
        json.writeEndObject();
    }
}
