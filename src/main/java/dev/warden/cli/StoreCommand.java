package dev.warden.cli;

import dev.warden.core.WardenException;
import dev.warden.core.store.Database;
import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreCopy;
import dev.warden.core.store.StoreLocation;
import dev.warden.expose.EventStore;
import dev.warden.metrics.MetricLog;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "store", description = {"Manage Warden's store of build events, gate decisions, tabletop sessions",
    "and metrics."}, subcommands = StoreCommand.Migrate.class)
final class StoreCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "migrate", description = {"Copy local SQLite stores into the shared one (--store postgresql://…,",
        "$WARDEN_STORE or [store] url): incrementally, so running it again copies only what is new. A build still",
        "being written is left for the next run."})
    static final class Migrate implements Callable<Outcome> {

        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
                description = "The project whose local store to copy, and whose [store] url names the target "
                        + "(default: current directory).")
        String path;

        @Option(names = "--from", paramLabel = "FILE",
                description = "A SQLite store to copy instead of the project's (repeatable).")
        List<Path> from = new ArrayList<>();

        @Option(names = "--all", description = "Copy the local store of every project in Warden's state directory.")
        boolean all;

        @Mixin
        StoreOption store;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            context.format(Format.TEXT);
            Path dir = context.directory(path);
            StoreLocation target = store.location(context.env(), dir);
            List<Path> sources = sources(dir);
            // no store named: the target would be this project's own local store, into which --all would merge
            boolean ownStore = target.equals(new StoreLocation.Sqlite(EventStore.defaultFile(context.env(), dir)));
            if (ownStore || sources.size() == 1 && target.equals(new StoreLocation.Sqlite(sources.getFirst()))) {
                throw new WardenException("no store to copy into: name the shared one with --store postgresql://"
                        + "USER@HOST:PORT/DB, $WARDEN_STORE or [store] url in warden.toml");
            }
            String host = RunTags.of(context.env()).host();
            List<String> lines = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            Path cache = context.env().cacheDirectory();
            try (Database to = Database.open(target, "the shared store", cache)) {
                for (Path file : sources) {
                    StoreLocation source = new StoreLocation.Sqlite(file);
                    if (source.equals(target)) {
                        continue;
                    }
                    // builds whose writer died are marked first, so they are copied as interrupted, not held back
                    try (EventStore events = EventStore.existing(source, cache)) {
                        events.markInterrupted(context.env().clock().instant(), host);
                    }
                    MetricLog.open(source, context.env()).close(); // takes in what read-only commands journalled
                    StoreCopy.Counts counts;
                    try (Database from = Database.open(source, "the local store", cache)) {
                        counts = StoreCopy.copy(from, to, (host == null ? "" : host + ":") + file);
                    }
                    lines.add(summary(file, counts));
                    if (counts.stillRunning() >= 0) {
                        warnings.add(file + ": build " + counts.stillRunning() + " is still being written; it and "
                                + "the builds after it are copied by the next run");
                    }
                }
            }
            context.emit(out -> {
                out.println("into " + target.display() + ":");
                lines.forEach(line -> out.println("  " + line));
            });
            context.warn(warnings);
            return Outcome.OK;
        }

        private List<Path> sources(Path dir) {
            List<Path> sources = new ArrayList<>();
            for (Path file : from) {
                Path resolved = context.env().workingDirectory().resolve(file).toAbsolutePath().normalize();
                if (!Files.isRegularFile(resolved)) {
                    throw new WardenException(resolved + ": no store here");
                }
                sources.add(resolved);
            }
            if (all) {
                Path projects = context.env().stateDirectory().resolve("projects");
                if (Files.isDirectory(projects)) {
                    try (Stream<Path> children = Files.list(projects)) {
                        children.map(child -> child.resolve("events.db")).filter(Files::isRegularFile).sorted()
                                .forEach(sources::add);
                    } catch (IOException e) {
                        throw new WardenException(projects + ": cannot list: " + e.getMessage());
                    }
                }
                if (sources.isEmpty()) {
                    throw new WardenException(projects + ": no project stores here");
                }
            }
            if (sources.isEmpty()) {
                Path own = EventStore.defaultFile(context.env(), dir);
                if (!Files.isRegularFile(own)) {
                    throw new WardenException(dir + ": this project has no local store (" + own + "); name one with "
                            + "--from FILE or use --all");
                }
                sources.add(own);
            }
            return sources;
        }

        private static String summary(Path file, StoreCopy.Counts counts) {
            if (counts.nothing()) {
                return file + ": nothing new since the last copy";
            }
            return String.format("%s: %,d builds (%,d events, %,d alerts), %,d gate runs, %,d tabletop sessions, "
                    + "%,d metrics", file, counts.builds(), counts.events(), counts.alerts(), counts.gateRuns(),
                    counts.tabletopSessions(), counts.metrics());
        }
    }
}
