package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.core.SecretNames;
import dev.warden.core.WardenException;
import dev.warden.limit.EnvironmentFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "fetch", description = {
    "The first stage of a staged build: download the locked dependencies (cargo fetch --locked) with the network",
    "but without secrets in the environment. No dependency code runs here; warden build then runs offline."})
final class FetchCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--allow-env", paramLabel = "NAME",
            description = "Pass this variable through, e.g. a private registry token (repeatable).")
    List<String> allowEnv = new ArrayList<>();

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Project project = context.project(path);
        EnvironmentFilter.Result env = EnvironmentFilter.filter(context.env().variables(), allowEnv);
        List<String> secrets = env.removed().stream().filter(SecretNames::looksSecret).toList();
        if (!secrets.isEmpty()) {
            context.err().println("warden: fetching without " + String.join(", ", secrets));
        }
        ProcessBuilder builder = new ProcessBuilder("cargo", "fetch", "--locked").directory(project.root().toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env.kept());
        int status;
        try {
            Process process = builder.start();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    context.err().println(line);
                }
            }
            status = process.waitFor();
        } catch (IOException e) {
            throw new WardenException("cannot run cargo: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardenException("interrupted while fetching");
        }
        context.err().flush();
        if (status != 0) {
            throw new WardenException("cargo fetch --locked failed (exit " + status + ")");
        }
        context.emit(out -> out.println("fetched the dependencies of " + project.display(project.lockfile().path())
                + "; now build offline in the sandbox: warden build -- cargo build --locked"));
        return Outcome.OK;
    }
}
