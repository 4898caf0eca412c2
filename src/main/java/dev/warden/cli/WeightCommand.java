package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.project.Project;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.weight.DependencyWeight;
import dev.warden.report.Format;
import dev.warden.report.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "weight", description = {
    "What each direct dependency weighs: the crates it alone brings, their Rust source, build-time code and unsafe;",
    "and the ones small enough to write yourself."})
final class WeightCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "The project (default: current "
            + "directory).")
    String path;

    @Mixin
    SourcesOption sources;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Project project = context.project(path);
        DependencyGraph graph = context.graph(project);
        ScannedCrates crates = sources.thirdParty(project, context);
        List<DependencyWeight.Weight> weights = DependencyWeight.of(graph, crates);
        context.emit(out -> {
            if (format == Format.JSON) {
                JsonOutput.write(out, json -> {
                    json.writeStartObject();
                    json.writeStringField("command", "weight");
                    json.writeArrayFieldStart("dependencies");
                    for (DependencyWeight.Weight weight : weights) {
                        json.writeStartObject();
                        json.writeStringField("crate", weight.dependency().name());
                        json.writeStringField("version", weight.dependency().pkg().version().toString());
                        json.writeNumberField("crates", weight.alone().size());
                        json.writeNumberField("sourceBytes", weight.bytes());
                        json.writeNumberField("lines", weight.lines());
                        if (weight.items() == null) {
                            json.writeNullField("itemsUsed");
                        } else {
                            json.writeArrayFieldStart("itemsUsed");
                            for (String item : new java.util.TreeSet<>(weight.items())) {
                                json.writeString(item);
                            }
                            json.writeEndArray();
                        }
                        json.writeNumberField("unread", weight.unread());
                        json.writeNumberField("buildCode", weight.buildCode());
                        json.writeNumberField("unsafe", weight.unsafe());
                        json.writeBooleanField("trivial", weight.trivial());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
                return;
            }
            out.println("weight: " + weights.size() + " direct dependencies of "
                    + project.display(project.lockfile().path()));
            for (DependencyWeight.Weight weight : weights) {
                DependencyGraph.Node dependency = weight.dependency();
                String size = weight.alone().isEmpty() ? "nothing alone (other direct dependencies need it too)"
                        : weight.alone().size() + " crate" + (weight.alone().size() == 1 ? "" : "s") + ", "
                        + weight.lines() + (weight.lines() == 1 ? " line" : " lines") + " of Rust ("
                        + String.format(Locale.ROOT, "%.1f KB",
                        weight.bytes() / 1024.0) + ")"
                        + (weight.unread() == 0 ? "" : " (+" + weight.unread() + " unread)")
                        + (weight.buildCode() == 0 ? "" : ", " + weight.buildCode() + " run at build time")
                        + (weight.unsafe() == 0 ? "" : ", " + weight.unsafe() + " unsafe");
                out.println("  " + dependency.pkg().id().nameAndVersion() + ": " + size + used(weight)
                        + (weight.trivial() ? " — small enough to consider writing yourself" : ""));
            }
        });
        return Outcome.OK;
    }

    /** "; the workspace uses 1 item of it (pad)". */
    private static String used(DependencyWeight.Weight weight) {
        if (weight.items() == null) {
            return "; items used: not counted (a glob or bare import)";
        }
        int count = weight.items().size();
        return "; the workspace uses " + (count == 0 ? "no item" : count + " item" + (count == 1 ? "" : "s"))
                + " of it" + (count == 0 || count > 5 ? "" : " (" + String.join(", ", new java.util.TreeSet<>(
                weight.items())) + ")");
    }
}
