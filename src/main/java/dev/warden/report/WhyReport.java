package dev.warden.report;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.Why;
import dev.warden.cargo.project.Project;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code warden why}: for each matching package, how many paths lead to it from the workspace members and the
 * shortest of them. JSON shape:
 * <pre>{"query":"syn","packages":[{"name","version","source","sourceKind","depth","pathCount","pathCountExact",
 *   "paths":[["member 1.0.0","a 0.1.0","syn 2.0.0"]],"truncated":false}]}</pre>
 */
public final class WhyReport {

    private WhyReport() {
    }

    public static void text(Project project, List<Why.Answer> answers, PrintWriter out) {
        boolean first = true;
        for (Why.Answer answer : answers) {
            if (!first) {
                out.println();
            }
            first = false;
            String label = Labels.of(answer.node().id(), project);
            if (answer.depth() < 0) {
                out.println(label + " is locked but no workspace member depends on it (stale lockfile entry?)");
                continue;
            }
            if (answer.node().root() && answer.count().value().intValue() == 1) {
                out.println(label + " is a workspace member; nothing else depends on it");
                continue;
            }
            out.printf("%s: %s path%s from the workspace (shortest: %d edge%s)%n", label,
                    String.format("%,d", answer.count().value()) + (answer.count().exact() ? "" : "+"),
                    answer.count().value().intValue() == 1 ? "" : "s", answer.depth(), answer.depth() == 1 ? "" : "s");
            for (List<DependencyGraph.Node> path : answer.paths()) {
                out.println("  " + path.stream().map(n -> Labels.of(n.id(), project))
                        .collect(Collectors.joining(" → ")));
            }
            if (answer.truncated()) {
                out.printf("  … and %,d more (--limit N to see more, --all for every path)%n",
                        answer.count().value().subtract(BigInteger.valueOf(answer.paths().size())));
            }
        }
    }

    public static void json(String query, List<Why.Answer> answers, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("query", query);
            json.writeArrayFieldStart("packages");
            for (Why.Answer answer : answers) {
                json.writeStartObject();
                json.writeStringField("name", answer.node().name());
                json.writeStringField("version", answer.node().pkg().version().toString());
                JsonOutput.source(json, "source", answer.node().pkg());
                json.writeNumberField("depth", answer.depth());
                json.writeNumberField("pathCount", answer.count().value());
                json.writeBooleanField("pathCountExact", answer.count().exact());
                json.writeArrayFieldStart("paths");
                for (List<DependencyGraph.Node> path : answer.paths()) {
                    json.writeStartArray();
                    for (DependencyGraph.Node node : path) {
                        json.writeString(node.id().nameAndVersion());
                    }
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeBooleanField("truncated", answer.truncated());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
