package dev.warden.report;

import dev.warden.exercise.Tabletop;
import dev.warden.exercise.ThreatModel;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the team exercises: a tabletop session's scores and gaps, and the STRIDE threat model. */
public final class ExerciseReport {

    private ExerciseReport() {
    }

    public static void tabletopText(Tabletop.Session session, List<Tabletop.Session> history, PrintWriter out) {
        out.println("tabletop session " + session.id() + " (" + session.time() + ")");
        out.println("scenario: " + session.scenario());
        out.println();
        for (Tabletop.Participant participant : session.participants()) {
            out.printf("  %-16s confidence %d/5, named %d of %d playbook steps%s%n", participant.name(),
                    participant.confidence(), participant.covered().size(), Tabletop.Step.values().length,
                    participant.covered().size() == Tabletop.Step.values().length ? "" : " (missed: "
                            + missed(participant) + ")");
        }
        out.printf("%nteam confidence: %.1f/5 over %d participant%s%n", session.teamConfidence(),
                session.participants().size(), session.participants().size() == 1 ? "" : "s");
        if (history.size() > 1) {
            out.println("trend: " + history.stream().map(s -> String.format(Locale.ROOT, "%.1f", s.teamConfidence()))
                    .collect(Collectors.joining(" → ")));
        }
        if (session.gaps().isEmpty()) {
            out.println("every playbook step was named by someone");
        } else {
            out.println("nobody named these steps; add them to the incident response plan and rehearse them:");
            session.gaps().forEach(step -> out.println("  - " + step.description()));
        }
    }

    public static void tabletopJson(Tabletop.Session session, List<Tabletop.Session> history, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("command", "tabletop");
            json.writeNumberField("session", session.id());
            json.writeStringField("scenario", session.scenario());
            json.writeNumberField("teamConfidence", session.teamConfidence());
            json.writeArrayFieldStart("participants");
            for (Tabletop.Participant participant : session.participants()) {
                json.writeStartObject();
                json.writeStringField("name", participant.name());
                json.writeNumberField("confidence", participant.confidence());
                JsonOutput.strings(json, "covered", participant.covered().stream().map(ExerciseReport::label).toList());
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonOutput.strings(json, "gaps", session.gaps().stream().map(ExerciseReport::label).toList());
            json.writeArrayFieldStart("confidenceTrend");
            for (Tabletop.Session past : history) {
                json.writeNumber(past.teamConfidence());
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The threat model as a Markdown document: the facts, then the STRIDE table. */
    public static void threatModelMarkdown(ThreatModel.Model model, PrintWriter out) {
        out.println("# Supply-chain threat model: " + model.project());
        out.println();
        out.println("- third-party crates: " + model.thirdParty() + " (" + model.sources().entrySet().stream()
                .map(e -> e.getValue() + " from " + e.getKey()).collect(Collectors.joining(", ")) + ")");
        out.println("- run code at build time: " + plural(model.buildScripts().size(), "build script") + ", "
                + plural(model.procMacros().size(), "proc macro") + (model.sourceUnknown() == 0 ? ""
                : " (" + model.sourceUnknown() + " crates' sources not on this machine)"));
        out.println("- secrets a build here could see without a sandbox: " + (model.secretsVisible().isEmpty()
                ? "none found" : String.join(", ", model.secretsVisible())));
        out.println();
        out.println("| STRIDE | threat | in this project | control |");
        out.println("|---|---|---|---|");
        for (ThreatModel.Threat threat : model.threats()) {
            out.printf("| %s | %s | %s | %s |%n", threat.category().label(), FindingsReport.md(threat.threat()),
                    threat.evidence().isEmpty() ? "none found" : FindingsReport.md(String.join("; ", threat.evidence())),
                    FindingsReport.md(threat.mitigation()));
        }
    }

    public static void threatModelJson(ThreatModel.Model model, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("command", "threat-model");
            json.writeStringField("project", model.project());
            json.writeNumberField("thirdParty", model.thirdParty());
            json.writeArrayFieldStart("sources");
            for (Map.Entry<String, Integer> source : model.sources().entrySet()) {
                json.writeStartObject();
                json.writeStringField("source", source.getKey());
                json.writeNumberField("crates", source.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonOutput.strings(json, "buildScripts", model.buildScripts());
            JsonOutput.strings(json, "procMacros", model.procMacros());
            json.writeNumberField("sourceUnknown", model.sourceUnknown());
            JsonOutput.strings(json, "secretsVisible", model.secretsVisible());
            json.writeArrayFieldStart("threats");
            for (ThreatModel.Threat threat : model.threats()) {
                json.writeStartObject();
                json.writeStringField("category", threat.category().label());
                json.writeStringField("threat", threat.threat());
                JsonOutput.strings(json, "seenIn", threat.evidence());
                json.writeStringField("mitigation", threat.mitigation());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String missed(Tabletop.Participant participant) {
        return Arrays.stream(Tabletop.Step.values()).filter(s -> !participant.covered().contains(s))
                .map(ExerciseReport::label).collect(Collectors.joining(", "));
    }

    private static String label(Tabletop.Step step) {
        return step.name().toLowerCase(Locale.ROOT);
    }
}
