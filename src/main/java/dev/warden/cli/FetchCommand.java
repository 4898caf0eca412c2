package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.project.Project;
import dev.warden.core.SecretNames;
import dev.warden.core.WardenException;
import dev.warden.expose.EventStore;
import dev.warden.limit.EnvironmentFilter;
import dev.warden.limit.egress.Destination;
import dev.warden.limit.egress.EgressBaseline;
import dev.warden.limit.egress.MonitoredFetch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "fetch", description = {
    "The first stage of a staged build: download the locked dependencies (cargo fetch --locked) with the network",
    "but without secrets in the environment. No dependency code runs here; warden build then runs offline. Under",
    "strace (when installed) it records the names and addresses it contacted, for warden egress-policy."})
final class FetchCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--allow-env", paramLabel = "NAME",
            description = "Pass this variable through, e.g. a private registry token (repeatable).")
    List<String> allowEnv = new ArrayList<>();

    @Mixin
    StoreOption store;

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
        MonitoredFetch.Result fetched = MonitoredFetch.run(project.root(), context.env(), env.kept(),
                line -> context.err().println(line));
        context.err().flush();
        if (fetched.status() != 0) {
            throw new WardenException("cargo fetch --locked failed (exit " + fetched.status() + ")");
        }
        StoreLocation file = store.location(context.env(), project.root());
        if (fetched.trace().isPresent()) {
            try (EventStore events = EventStore.open(file, context.env().cacheDirectory())) {
                EgressBaseline.record(events, project.root().toString(), fetched.trace().get(),
                        context.env().clock().instant());
            }
        } else {
            context.warn(List.of("strace is not installed, so what the fetch contacted was not recorded "
                    + "(warden egress-policy then allows only what the lockfile names)"));
        }
        context.emit(out -> {
            out.println("fetched the dependencies of " + project.display(project.lockfile().path())
                    + "; now build offline in the sandbox: warden build -- cargo build --locked");
            fetched.trace().ifPresent(trace -> out.println("contacted: " + (trace.names().isEmpty()
                    && trace.endpoints().isEmpty() ? "nothing (everything was on this machine)"
                    : String.join(", ", trace.names()) + (trace.names().isEmpty() ? "" : "; ")
                    + String.join(", ", trace.endpoints().stream().map(Destination::key).toList()))
                    + " (recorded for warden egress-policy)"));
        });
        return Outcome.OK;
    }
}
