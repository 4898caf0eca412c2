package dev.warden.check;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;
import dev.warden.evaluate.scan.ScannedCrates;

/**
 * What every check receives, built once per run: the project and its graph, the change being judged (the whole
 * lockfile when there is no base), the crates whose code was read for it, and the environment seam.
 */
public record CheckContext(Project project, DependencyGraph graph, Change change, ScannedCrates crates,
                           Environment env) {

    /** A run that judges the whole lockfile and reads no crate code (audit, recon, tree). */
    public CheckContext(Project project, DependencyGraph graph, Environment env) {
        this(project, graph, Change.whole(project.lockfile()), ScannedCrates.none(), env);
    }
}
