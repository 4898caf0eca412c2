package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.expose.DnsQuery;
import dev.warden.expose.EventStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code warden events}: the event log as a table, as JSON, or as ECS-shaped JSON lines (one document per event and
 * per alert, Elastic Common Schema field names) for ELK, Splunk and other SIEMs.
 */
public final class EventsReport {

    private EventsReport() {
    }

    public static void text(List<EventStore.Row> events, List<EventStore.AlertRow> alerts, PrintWriter out) {
        for (EventStore.Row row : events) {
            out.printf("#%d %s %-8s %-13s %-20s %s%s%n", row.build(), time(row.micros()), row.kind(), row.role(),
                    row.crate() == null ? "-" : row.crate(), row.target(),
                    (row.detail() == null || row.detail().isEmpty() ? "" : " [" + row.detail() + "]")
                            + (row.error() == null ? "" : " → " + row.error()));
        }
        for (EventStore.AlertRow alert : alerts) {
            out.printf("#%d ALERT %s %s: %s (detected after %d ms)%n", alert.build(), alert.severity(), alert.rule(),
                    alert.message(), Math.round(alert.latencyMicros() / 1000.0));
        }
        out.printf("%d event%s, %d alert%s%n", events.size(), events.size() == 1 ? "" : "s", alerts.size(),
                alerts.size() == 1 ? "" : "s");
    }

    public static void json(List<EventStore.Row> events, List<EventStore.AlertRow> alerts, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("events");
            for (EventStore.Row row : events) {
                json.writeStartObject();
                json.writeNumberField("id", row.id());
                json.writeNumberField("build", row.build());
                json.writeStringField("time", time(row.micros()));
                json.writeStringField("kind", row.kind());
                json.writeNumberField("pid", row.pid());
                json.writeStringField("role", row.role());
                JsonOutput.stringOrNull(json, "crate", row.crate());
                JsonOutput.stringOrNull(json, "process", row.process());
                json.writeStringField("target", row.target());
                JsonOutput.stringOrNull(json, "detail", row.detail());
                JsonOutput.stringOrNull(json, "error", row.error());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("alerts");
            for (EventStore.AlertRow alert : alerts) {
                json.writeStartObject();
                json.writeNumberField("id", alert.id());
                json.writeNumberField("build", alert.build());
                json.writeNumberField("event", alert.event());
                json.writeStringField("rule", alert.rule());
                json.writeStringField("severity", alert.severity());
                JsonOutput.stringOrNull(json, "crate", alert.crate());
                json.writeStringField("message", alert.message());
                json.writeNumberField("latencyMs", alert.latencyMicros() / 1000.0);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** One ECS document per line: events first, then alerts (event.kind "alert"), oldest first. */
    public static void ecs(List<EventStore.Row> events, List<EventStore.AlertRow> alerts,
                           Map<Long, EventStore.Row> eventsById, PrintWriter out) {
        for (String document : ecsDocuments(events, alerts, eventsById)) {
            out.println(document);
        }
        out.flush();
    }

    /** The same documents, one JSON text each, for shipping. */
    public static List<String> ecsDocuments(List<EventStore.Row> events, List<EventStore.AlertRow> alerts,
                                            Map<Long, EventStore.Row> eventsById) {
        List<String> documents = new ArrayList<>();
        for (EventStore.Row row : events) {
            documents.add(document(json -> ecsEvent(json, row)));
        }
        for (EventStore.AlertRow alert : alerts) {
            documents.add(document(json -> ecsAlert(json, alert, eventsById.get(alert.event()))));
        }
        return documents;
    }

    private static String document(JsonOutput.Body body) {
        java.io.StringWriter text = new java.io.StringWriter();
        JsonOutput.line(text, body);
        return text.toString().stripTrailing();
    }

    private static void ecsEvent(JsonGenerator json, EventStore.Row row) throws IOException {
        json.writeStartObject();
        json.writeStringField("@timestamp", time(row.micros()));
        json.writeObjectFieldStart("event");
        json.writeStringField("kind", "event");
        json.writeStringField("dataset", "warden.build");
        json.writeStringField("action", row.kind());
        category(json, row.kind());
        json.writeStringField("outcome", row.error() == null ? "success" : "failure");
        json.writeStringField("id", String.valueOf(row.id()));
        json.writeEndObject();
        process(json, row);
        switch (row.kind()) {
            case "connect", "send" -> destination(json, row.target());
            case "dns" -> {
                json.writeObjectFieldStart("dns");
                json.writeObjectFieldStart("question");
                json.writeStringField("name", row.target());
                JsonOutput.stringOrNull(json, "type", row.detail());
                json.writeStringField("registered_domain", DnsQuery.ofName(row.target()).domain());
                json.writeEndObject();
                json.writeStringField("type", "query");
                json.writeEndObject();
                json.writeObjectFieldStart("network");
                json.writeStringField("protocol", "dns");
                json.writeEndObject();
            }
            case "file" -> {
                json.writeObjectFieldStart("file");
                json.writeStringField("path", row.target());
                json.writeEndObject();
            }
            default -> {
            }
        }
        if (row.error() != null) {
            json.writeObjectFieldStart("error");
            json.writeStringField("code", row.error());
            json.writeEndObject();
        }
        common(json, row.build(), row.crate(), row.role());
        json.writeEndObject();
    }

    private static void ecsAlert(JsonGenerator json, EventStore.AlertRow alert, EventStore.Row event)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("@timestamp", time(alert.alertedMicros()));
        json.writeStringField("message", alert.message());
        json.writeObjectFieldStart("event");
        json.writeStringField("kind", "alert");
        json.writeStringField("dataset", "warden.build");
        json.writeArrayFieldStart("category");
        json.writeString("intrusion_detection");
        json.writeEndArray();
        json.writeNumberField("severity", severityNumber(alert.severity()));
        json.writeStringField("id", "alert-" + alert.id());
        if (event != null) {
            json.writeStringField("created", time(event.micros()));
        }
        json.writeNumberField("duration", alert.latencyMicros() * 1000);
        json.writeEndObject();
        json.writeObjectFieldStart("rule");
        json.writeStringField("id", alert.rule());
        json.writeStringField("name", alert.rule());
        json.writeStringField("ruleset", "warden");
        json.writeEndObject();
        if (event != null) {
            process(json, event);
        }
        common(json, alert.build(), alert.crate(), event == null ? null : event.role());
        json.writeEndObject();
    }

    private static void category(JsonGenerator json, String kind) throws IOException {
        List<String> category = switch (kind) {
            case "exec", "outlived" -> List.of("process");
            case "connect", "send", "dns" -> List.of("network");
            case "file" -> List.of("file");
            default -> List.of("process", "intrusion_detection");
        };
        List<String> type = switch (kind) {
            case "exec" -> List.of("start");
            case "outlived" -> List.of("end");
            case "connect", "send" -> List.of("connection");
            case "dns" -> List.of("protocol");
            case "file" -> List.of("access");
            default -> List.of("info");
        };
        JsonOutput.strings(json, "category", category);
        JsonOutput.strings(json, "type", type);
    }

    private static void process(JsonGenerator json, EventStore.Row row) throws IOException {
        json.writeObjectFieldStart("process");
        json.writeNumberField("pid", row.pid());
        JsonOutput.stringOrNull(json, "name", row.process());
        if (row.kind().equals("exec")) {
            json.writeStringField("executable", row.target());
            JsonOutput.stringOrNull(json, "command_line", row.detail());
        }
        json.writeEndObject();
    }

    private static void destination(JsonGenerator json, String target) throws IOException {
        int colon = target.lastIndexOf(':');
        json.writeObjectFieldStart("destination");
        String address = colon > 0 ? target.substring(0, colon).replace("[", "").replace("]", "") : target;
        json.writeStringField("address", address);
        json.writeStringField("ip", address);
        if (colon > 0) {
            json.writeNumberField("port", Integer.parseInt(target.substring(colon + 1)));
        }
        json.writeEndObject();
    }

    private static void common(JsonGenerator json, long build, String crate, String role) throws IOException {
        if (crate != null) {
            json.writeObjectFieldStart("package");
            json.writeStringField("name", crate);
            json.writeEndObject();
        }
        json.writeObjectFieldStart("labels");
        json.writeStringField("warden_build", String.valueOf(build));
        if (role != null) {
            json.writeStringField("warden_role", role);
        }
        json.writeEndObject();
        json.writeObjectFieldStart("observer");
        json.writeStringField("product", "warden");
        json.writeStringField("type", "build-monitor");
        json.writeEndObject();
    }

    private static int severityNumber(String severity) {
        return switch (severity.toLowerCase(Locale.ROOT)) {
            case "critical" -> 99;
            case "high" -> 73;
            case "medium" -> 47;
            case "low" -> 21;
            default -> 1;
        };
    }

    static String time(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000).toString();
    }

}
