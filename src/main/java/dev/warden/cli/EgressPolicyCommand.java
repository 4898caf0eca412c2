package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.project.Project;
import dev.warden.expose.EventStore;
import dev.warden.limit.egress.Destination;
import dev.warden.limit.egress.EgressBaseline;
import dev.warden.limit.egress.EgressPolicy;
import dev.warden.limit.egress.PolicyFiles;
import dev.warden.report.Format;
import dev.warden.report.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "egress-policy", description = {
    "Write the network policy for a staged build: the fetch stage may reach exactly the registries, mirrors and git",
    "hosts the lockfile names and monitored `warden fetch` runs contacted; the build stage reaches nothing.",
    "--for kubernetes|cilium|harden-runner|nftables writes it in that platform's form."})
final class EgressPolicyCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--for", paramLabel = "PLATFORM", converter = TargetConverter.class, description = {
        "kubernetes (NetworkPolicy), cilium (CiliumNetworkPolicy with toFQDNs), harden-runner (the step with",
        "allowed-endpoints) or nftables (a ruleset for `nft -f`). Without it: what would be allowed, and why."})
    PolicyFiles.Target target;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    static final class TargetConverter implements picocli.CommandLine.ITypeConverter<PolicyFiles.Target> {
        @Override
        public PolicyFiles.Target convert(String value) {
            for (PolicyFiles.Target candidate : PolicyFiles.Target.values()) {
                if (candidate.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected kubernetes, cilium, harden-runner or "
                    + "nftables, found '" + value + "'");
        }
    }

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Project project = context.project(path);
        StoreLocation file = store.location(context.env(), project.root());
        EgressPolicy.Observed observed = EgressPolicy.Observed.none();
        if (file.exists()) {
            try (EventStore events = EventStore.open(file, context.env().cacheDirectory())) {
                observed = EgressBaseline.observed(events, project.root().toString());
            }
        }
        EgressPolicy policy = EgressPolicy.of(project, observed);
        String name = project.root().getFileName() == null ? "the project" : project.root().getFileName().toString();
        if (target != null) {
            context.emit(out -> PolicyFiles.write(target, policy, name, out));
            return Outcome.OK;
        }
        context.emit(out -> {
            if (format == Format.JSON) {
                JsonOutput.write(out, json -> {
                    json.writeStartObject();
                    json.writeStringField("command", "egress-policy");
                    json.writeNumberField("fetches", policy.fetches());
                    json.writeArrayFieldStart("allowed");
                    for (Map.Entry<Destination, String> entry : policy.names().entrySet()) {
                        json.writeStartObject();
                        json.writeStringField("endpoint", entry.getKey().key());
                        json.writeStringField("why", entry.getValue());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeArrayFieldStart("addresses");
                    for (Destination address : policy.addresses()) {
                        json.writeString(address.key());
                    }
                    json.writeEndArray();
                    json.writeArrayFieldStart("resolvers");
                    for (Destination resolver : policy.resolvers()) {
                        json.writeString(resolver.key());
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
                return;
            }
            out.println("egress-policy: " + project.display(project.lockfile().path()) + " ("
                    + (policy.fetches() == 0 ? "no monitored warden fetch yet: the lockfile and configuration only"
                    : policy.fetches() + " monitored warden fetch" + (policy.fetches() == 1 ? "" : "es")) + ")");
            out.println("fetch stage may reach:");
            policy.names().forEach((destination, why) -> out.println("  " + destination.key() + "  (" + why + ")"));
            if (!policy.addresses().isEmpty()) {
                out.println("  addresses seen: " + String.join(", ", policy.addresses().stream().map(Destination::key)
                        .toList()));
            }
            out.println("build stage may reach: nothing (warden build runs it offline)");
            out.println("write it for a platform with --for kubernetes, cilium, harden-runner or nftables");
        });
        return Outcome.OK;
    }
}
