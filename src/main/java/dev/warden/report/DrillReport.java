package dev.warden.report;

import dev.warden.exercise.Drill;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code warden drill} scorecard. JSON: {@code {"successRate","protection","scenarios":[{"name","title","caught",
 * "caughtBy":[{"check","rule","crate","severity"}],"canaryLeaked","controlLeaked","mttdMillis","mttrMillis",
 * "response":[{"action","afterMillis","succeeded"}]}],"workspace"}}.
 */
public final class DrillReport {

    private DrillReport() {
    }

    public static void text(Drill.Result result, PrintWriter out) {
        long caught = result.scenarios().stream().filter(Drill.ScenarioResult::caught).count();
        boolean anyLeak = result.scenarios().stream().anyMatch(Drill.ScenarioResult::canaryLeaked);
        out.printf(Locale.ROOT, "drill: %d scenario%s, %d caught, exercise success rate %.0f%%; %s%n",
                result.scenarios().size(), result.scenarios().size() == 1 ? "" : "s", caught,
                result.successRate() * 100, anyLeak ? "A FAKE SECRET LEFT THE SANDBOX" : "no fake secret left the sandbox");
        out.println("  protection: " + result.protection());
        for (Drill.ScenarioResult scenario : result.scenarios()) {
            out.println();
            out.printf("%s %s — %s%n", scenario.caught() ? "CAUGHT" : "MISSED", scenario.name(), scenario.title());
            Set<String> stages = new LinkedHashSet<>();
            scenario.caughtBy().forEach(c -> stages.add(c.check()));
            for (String stage : stages) {
                out.println("  " + stage + ": " + scenario.caughtBy().stream().filter(c -> c.check().equals(stage))
                        .map(c -> c.rule() + (c.crate() == null ? "" : " (" + c.crate() + ")")).distinct()
                        .collect(Collectors.joining(", ")));
            }
            out.println("  fake secrets: " + (scenario.canaryLeaked() ? "LEFT the sandbox" : "stayed in the sandbox")
                    + "; without Warden: " + scenario.controlNote());
            out.printf(Locale.ROOT, "  MTTD %s (malicious publish → blocked), MTTR %s (blocked → verified recovery)%n",
                    millis(scenario.mttdMillis()), millis(scenario.mttrMillis()));
            for (Drill.Step step : scenario.response()) {
                out.printf("    %s +%s %s%n", step.succeeded() ? "✓" : "✗", millis(step.afterMillis()), step.action());
            }
        }
        if (result.workspace() != null) {
            out.println();
            out.println("workspace kept at " + result.workspace() + " (each scenario's store: warden ir CRATE --store "
                    + result.workspace() + "/SCENARIO/events.db)");
        }
    }

    public static void json(Drill.Result result, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeNumberField("successRate", result.successRate());
            json.writeStringField("protection", result.protection());
            json.writeArrayFieldStart("scenarios");
            for (Drill.ScenarioResult scenario : result.scenarios()) {
                json.writeStartObject();
                json.writeStringField("name", scenario.name());
                json.writeStringField("title", scenario.title());
                json.writeBooleanField("caught", scenario.caught());
                json.writeArrayFieldStart("caughtBy");
                for (Drill.Catch c : scenario.caughtBy()) {
                    json.writeStartObject();
                    json.writeStringField("check", c.check());
                    json.writeStringField("rule", c.rule());
                    JsonOutput.stringOrNull(json, "crate", c.crate());
                    json.writeStringField("severity", c.severity());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeBooleanField("canaryLeaked", scenario.canaryLeaked());
                if (scenario.controlLeaked() == null) {
                    json.writeNullField("controlLeaked");
                } else {
                    json.writeBooleanField("controlLeaked", scenario.controlLeaked());
                }
                json.writeNumberField("mttdMillis", scenario.mttdMillis());
                json.writeNumberField("mttrMillis", scenario.mttrMillis());
                json.writeArrayFieldStart("response");
                for (Drill.Step step : scenario.response()) {
                    json.writeStartObject();
                    json.writeStringField("action", step.action());
                    json.writeNumberField("afterMillis", step.afterMillis());
                    json.writeBooleanField("succeeded", step.succeeded());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonOutput.stringOrNull(json, "workspace", result.workspace());
            json.writeEndObject();
        });
    }

    private static String millis(long millis) {
        return millis < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
