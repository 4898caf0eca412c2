package dev.warden.cli;

import dev.warden.core.WardenException;
import dev.warden.fortify.registry.LocalRegistry;
import dev.warden.fortify.registry.RegistryServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "registry", description = {
    "A Cargo sparse registry kept in a directory: an internal registry for a team's own crates, a reviewed mirror,",
    "or a stage for drills. Real cargo uses it through [registries] or source replacement."},
        subcommands = {RegistryCommand.Serve.class, RegistryCommand.Publish.class, RegistryCommand.Yank.class})
final class RegistryCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "serve", description = "Serve the registry in DIR on loopback until interrupted (Ctrl-C).")
    static final class Serve implements Callable<Outcome> {

        @Parameters(paramLabel = "DIR", description = "The registry directory (created if missing).")
        Path dir;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
                description = "Port on 127.0.0.1 (default: any free port).")
        int port;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            LocalRegistry registry = LocalRegistry.at(context.env().workingDirectory().resolve(dir));
            try (RegistryServer server = RegistryServer.start(registry, port)) {
                PrintWriter out = context.spec.commandLine().getOut();
                out.println("serving " + registry.directory() + " at " + server.indexUrl());
                out.println("use it from a project's .cargo/config.toml:");
                out.println();
                out.println("  [registries.internal]");
                out.println("  index = \"" + server.indexUrl() + "\"");
                out.println();
                out.println("or in place of crates.io:");
                out.println();
                out.println("  [source.crates-io]");
                out.println("  replace-with = \"internal\"");
                out.println("  [source.internal]");
                out.println("  registry = \"" + server.indexUrl() + "\"");
                out.flush();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Outcome.OK;
        }
    }

    @Command(name = "publish", description = "Package a crate directory and add it to the registry (no network).")
    static final class Publish implements Callable<Outcome> {

        @Parameters(paramLabel = "CRATE_DIR", description = "The crate to publish (its Cargo.toml and sources).")
        Path crate;

        @Option(names = "--registry", paramLabel = "DIR", required = true, description = "The registry directory.")
        Path registry;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            Path manifest = context.env().workingDirectory().resolve(crate).resolve("Cargo.toml");
            if (!Files.isRegularFile(manifest)) {
                // Checked before the registry directory is created, so a typo leaves nothing behind.
                throw new WardenException(manifest + ": file not found");
            }
            LocalRegistry target = LocalRegistry.at(context.env().workingDirectory().resolve(registry));
            LocalRegistry.Published published = target.publish(manifest.getParent(), context.env().clock().instant());
            context.emit(out -> out.printf("published %s %s (cksum %s) to %s%n", published.name(),
                    published.version(), published.checksum(), target.directory()));
            return Outcome.OK;
        }
    }

    @Command(name = "yank", description = {"Mark a version yanked (or, with --undo, not yanked): new lockfiles",
        "will not pick it, existing ones keep building."})
    static final class Yank implements Callable<Outcome> {

        @Parameters(paramLabel = "NAME@VERSION", description = "The version to yank.")
        String spec;

        @Option(names = "--registry", paramLabel = "DIR", required = true, description = "The registry directory.")
        Path registry;

        @Option(names = "--undo", description = "Un-yank the version.")
        boolean undo;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            int at = spec.indexOf('@');
            if (at <= 0 || at == spec.length() - 1) {
                throw new WardenException("expected NAME@VERSION, found '" + spec + "'");
            }
            Path dir = context.env().workingDirectory().resolve(registry);
            if (!Files.isDirectory(dir.resolve("index"))) {
                throw new WardenException(dir + ": not a registry (no index/ directory)");
            }
            LocalRegistry target = LocalRegistry.at(dir);
            target.yank(spec.substring(0, at), spec.substring(at + 1), !undo);
            context.emit(out -> out.printf("%s %s %s%n", spec.substring(0, at), spec.substring(at + 1),
                    undo ? "un-yanked" : "yanked"));
            return Outcome.OK;
        }
    }
}
