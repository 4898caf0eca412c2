package dev.warden.check;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;

/** What every check receives: the project and its graph, built once per run, and the environment seam. */
public record CheckContext(Project project, DependencyGraph graph, Environment env) {
}
