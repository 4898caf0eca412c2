package dev.warden.testing;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;

import java.nio.file.Path;

/** Loading a project and its graph the way the CLI does, for checks under test. */
public final class Graphs {

    private Graphs() {
    }

    public static CheckContext context(Path project) {
        Project loaded = new ProjectLoader(TestEnv.in(project)).load(project.toString());
        DependencyGraph graph = GraphBuilder.build(loaded);
        return new CheckContext(loaded, graph, TestEnv.in(project));
    }
}
