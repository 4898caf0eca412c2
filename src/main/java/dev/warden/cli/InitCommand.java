package dev.warden.cli;

import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.fortify.policy.PolicyTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "init", description = {"Write a commented default warden.toml into the project (never over an",
    "existing one): every policy key with its default, and the opt-in restrictions to consider."})
final class InitCommand implements Callable<Outcome> {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The project directory (default: current directory).")
    String path;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Path dir = context.directory(path);
        Path file = PolicyTemplate.writeInto(dir);
        PolicyLoader.load(file);
        context.emit(out -> out.println("wrote " + context.env().workingDirectory().relativize(file)
                + ": every key at its default; uncomment the restrictions you want, then run `warden gate`"));
        return Outcome.OK;
    }
}
