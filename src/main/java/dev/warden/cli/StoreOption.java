package dev.warden.cli;

import dev.warden.core.Environment;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --store FILE}: the project's store of build events, gate decisions and tabletop sessions. (Named apart from
 * {@code audit --db}, which is advisory data.)
 */
final class StoreOption {

    /** Where the store lives in a project, next to the build output. */
    static final String DEFAULT = "target/warden/events.db";

    @Option(names = "--store", paramLabel = "FILE",
            description = "The store: build events, gate decisions, tabletop sessions (default: PATH/" + DEFAULT + ").")
    Path db;

    Path file(Environment env, Path projectDir) {
        return db != null ? env.workingDirectory().resolve(db) : projectDir.resolve(DEFAULT);
    }
}
