package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.Why;
import dev.warden.cargo.project.Project;
import dev.warden.report.Format;
import dev.warden.report.WhyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "why", description = "Explain why a package is in the graph: every path to it from a workspace member.")
final class WhyCommand implements Callable<Outcome> {

    @Parameters(index = "0", paramLabel = "NAME[@VERSION]",
            description = "The package, optionally with a (partial) version: syn, syn@2, syn@2.0.104.")
    String spec;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "List at most N paths per package, shortest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "List every path (may be very many on large workspaces).")
    boolean all;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Project project = context.project(path);
        DependencyGraph graph = context.graph(project);
        List<Why.Answer> answers = Why.ask(graph, spec, all ? Integer.MAX_VALUE : limit);
        Format format = context.format(Format.TEXT, Format.JSON);
        context.emit(out -> {
            if (format == Format.JSON) {
                WhyReport.json(spec, answers, out);
            } else {
                WhyReport.text(project, answers, out);
            }
        });
        return Outcome.OK;
    }
}
