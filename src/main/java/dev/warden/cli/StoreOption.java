package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;
import dev.warden.core.store.StoreLocation;
import dev.warden.expose.EventStore;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.metrics.MetricJournal;
import dev.warden.metrics.MetricLog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --store FILE|URL}: the store of build events, gate decisions and tabletop sessions. (Named apart from
 * {@code audit --db}, which is advisory data.) Else {@code $WARDEN_STORE}, else the project's {@code [store] url},
 * else a SQLite file per project in Warden's state directory.
 */
final class StoreOption {

    @Option(names = "--store", paramLabel = "FILE|URL",
            description = "The store: build events, gate decisions, tabletop sessions. A file, or postgresql://USER@"
                    + "HOST:PORT/DB for one store shared by many projects (password from PGPASSWORD or a pgpass "
                    + "file). Default: $WARDEN_STORE, else [store] url in warden.toml, else one file per project in "
                    + "~/.local/state/warden/projects/ ($WARDEN_STATE_DIR, $XDG_STATE_HOME/warden); never where a "
                    + "build can write.")
    String value;

    /** The location last resolved, and for which project: a command asks several times, warden.toml is read once. */
    private Path resolvedFor;
    private StoreLocation resolved;

    StoreLocation location(Environment env, Path projectDir) {
        if (!projectDir.equals(resolvedFor)) {
            resolved = resolve(env, projectDir);
            resolvedFor = projectDir;
        }
        return resolved;
    }

    private StoreLocation resolve(Environment env, Path projectDir) {
        if (value != null) {
            return StoreLocation.parse(value, env, true);
        }
        if (env.variable("WARDEN_STORE").isPresent()) {
            return StoreLocation.parse(env.variable("WARDEN_STORE").get(), env, true);
        }
        Path policy = projectDir.resolve(PolicyLoader.FILE_NAME);
        if (Files.isRegularFile(policy)) {
            String url = PolicyLoader.load(policy).storeUrl();
            if (url != null) {
                return StoreLocation.parse(url, env, false);
            }
        }
        return new StoreLocation.Sqlite(EventStore.defaultFile(env, projectDir));
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
        Path journal = location(context.env(), root).journal(context.env());
        try {
            MetricJournal.append(journal, root.toString(), context.env().clock().instant(), source, measurements);
        } catch (IOException e) {
            context.warn(List.of("metrics not recorded: " + journal + ": " + e.getMessage()));
        }
    }
}
