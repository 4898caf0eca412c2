package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.TargetPlatform;
import dev.warden.cargo.graph.EdgeFilter;
import dev.warden.cargo.graph.TreeBuilder;
import dev.warden.cargo.graph.TreeNode;
import dev.warden.cargo.project.Project;
import dev.warden.core.WardenException;
import dev.warden.report.Format;
import dev.warden.report.TreeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tree", description = "Show the dependency tree of the workspace members (like cargo tree).")
final class TreeCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = {"-i", "--invert"}, paramLabel = "NAME[@VERSION]",
            description = "Show what depends on this package instead of what it depends on.")
    String invert;

    @Option(names = {"-d", "--depth"}, paramLabel = "N", defaultValue = "-1",
            description = "Maximum depth to display (default: unlimited).")
    int depth;

    @Option(names = {"-e", "--edges"}, paramLabel = "KINDS", defaultValue = "all",
            description = "Edge kinds to follow: normal,build,dev,all,no-normal,no-build,no-dev (default: all).")
    EdgeFilter edges;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        EdgeFilter filter = edges;
        Project project = context.project(path);
        DependencyGraph graph = context.graph(project, TargetPlatform.host());
        List<DependencyGraph.Node> tops = invert == null ? graph.roots() : graph.find(invert);
        if (invert != null && tops.isEmpty()) {
            throw new WardenException("no package matching '" + invert + "' is in the lockfile");
        }
        List<TreeNode> trees = new TreeBuilder(graph, filter, depth, invert != null).build(tops);
        Format format = context.format(Format.TEXT, Format.JSON);
        context.emit(out -> {
            if (format == Format.JSON) {
                TreeReport.json(trees, out);
            } else {
                TreeReport.text(project, trees, out);
            }
        });
        return Outcome.OK;
    }
}
