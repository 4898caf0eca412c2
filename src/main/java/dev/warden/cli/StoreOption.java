package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.expose.EventStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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
}
