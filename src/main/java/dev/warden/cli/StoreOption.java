package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;
import dev.warden.expose.EventStore;
import dev.warden.metrics.MetricJournal;
import dev.warden.metrics.MetricLog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --store FILE}: the project's store of build events, gate decisions and tabletop sessions. (Named apart from
 * {@code audit --db}, which is advisory data.)
 */
final class StoreOption {

    @Option(names = "--store", paramLabel = "FILE",
            description = "The store: build events, gate decisions, tabletop sessions (default: one per project in "
                    + "~/.local/state/warden/projects/, or $WARDEN_STATE_DIR, $XDG_STATE_HOME/warden; never where a "
                    + "build can write).")
    Path db;

    Path file(Environment env, Path projectDir) {
        return db != null ? env.workingDirectory().resolve(db) : EventStore.defaultFile(env, projectDir);
    }

    /**
     * Adds what a read-only command measured to the project's metrics history, through the journal the store takes
     * in when it is next opened. The history is a by-product: a state directory that cannot be written (a read-only
     * home, a sandbox) costs a warning, not the command's result.
     */
    void record(CommandContext context, Project project, String source, List<MetricLog.Measurement> measurements) {
        record(context, project.root(), source, measurements);
    }

    /** The same, for a command that reads a project directory without its Cargo project (ci-audit). */
    void record(CommandContext context, Path root, String source, List<MetricLog.Measurement> measurements) {
        Path file = file(context.env(), root);
        try {
            MetricJournal.append(file, root.toString(), context.env().clock().instant(), source, measurements);
        } catch (IOException e) {
            context.warn(List.of("metrics not recorded: " + file + ": " + e.getMessage()));
        }
    }
}
