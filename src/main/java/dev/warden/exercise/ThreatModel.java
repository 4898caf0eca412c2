package dev.warden.exercise;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.PackageInfo;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.core.Environment;
import dev.warden.core.Finding;
import dev.warden.core.SecretNames;
import dev.warden.limit.SandboxPlan;
import dev.warden.recon.ReconPolicy;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A STRIDE threat model of a project's supply chain, from its graph and this machine: who could impersonate a
 * dependency (Spoofing), where code can change under the same name (Tampering), what cannot be traced to a commit
 * (Repudiation), which crates run code at build time and which secrets that code could see (Information disclosure),
 * what availability depends on (Denial of service), and what runs with the builder's privileges (Elevation).
 * Each threat lists this project's evidence and the Warden control that answers it.
 */
public final class ThreatModel {

    /** The STRIDE categories, in order. */
    public enum Category {
        SPOOFING("Spoofing"), TAMPERING("Tampering"), REPUDIATION("Repudiation"),
        INFORMATION_DISCLOSURE("Information disclosure"), DENIAL_OF_SERVICE("Denial of service"),
        ELEVATION_OF_PRIVILEGE("Elevation of privilege");

        private final String label;

        Category(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One threat: what could happen, what in this project exposes it, and the control. */
    public record Threat(Category category, String threat, List<String> evidence, String mitigation) {

        public Threat {
            evidence = List.copyOf(evidence);
        }
    }

    /** The model, with the facts it was built from. */
    public record Model(String project, int thirdParty, Map<String, Integer> sources, List<String> buildScripts,
                        List<String> procMacros, int sourceUnknown, List<String> secretsVisible, List<Threat> threats) {
    }

    private ThreatModel() {
    }

    public static Model of(CheckContext context, PopularCrates popular, ReconPolicy recon) {
        Project project = context.project();
        DependencyGraph graph = context.graph();
        Environment env = context.env();
        Map<String, Integer> sources = new TreeMap<>();
        List<String> buildScripts = new ArrayList<>();
        List<String> procMacros = new ArrayList<>();
        List<String> natives = new ArrayList<>();
        List<String> unpinnedGit = new ArrayList<>();
        List<String> noChecksum = new ArrayList<>();
        List<String> noRepository = new ArrayList<>();
        int thirdParty = 0;
        int unknown = 0;
        boolean replaced = project.config().cratesIoReplacement().isPresent();
        for (DependencyGraph.Node node : graph.nodes()) {
            LockedPackage pkg = node.pkg();
            SourceId source = pkg.source();
            if (source == null) {
                continue;
            }
            thirdParty++;
            String label = pkg.id().nameAndVersion();
            sources.merge(sourceKind(source, project, replaced), 1, Integer::sum);
            if (source.isGit() && !source.reference().isPinned()) {
                unpinnedGit.add(label);
            }
            if (source.isRegistry() && pkg.checksum() == null) {
                noChecksum.add(label);
            }
            Manifest manifest = node.manifest();
            if (manifest == null || manifest.pkg() == null) {
                unknown++;
                continue;
            }
            PackageInfo info = manifest.pkg();
            if (manifest.buildScript().isPresent()) {
                buildScripts.add(label);
            }
            if (info.procMacro()) {
                procMacros.add(label);
            }
            if (info.links() != null) {
                natives.add(label + " (links " + info.links() + ")");
            }
            if (info.repository() == null) {
                noRepository.add(label);
            }
        }
        List<String> squats = names(new TyposquatCheck(popular, recon).run(context));
        List<String> confusion = names(new ConfusionCheck(popular, recon).run(context));
        List<String> secrets = env.variables().keySet().stream().filter(SecretNames::looksSecret).sorted().toList();
        List<String> stores = new ArrayList<>();
        for (String store : SandboxPlan.CREDENTIAL_STORES) {
            if (Files.exists(env.homeDirectory().resolve(store))) {
                stores.add("~/" + store);
            }
        }
        for (String name : List.of("credentials", "credentials.toml")) {
            if (Files.isRegularFile(env.cargoHome().resolve(name))) {
                stores.add("$CARGO_HOME/" + name);
            }
        }
        List<String> visible = new ArrayList<>(secrets);
        visible.addAll(stores);
        String unknownNote = unknown == 0 ? null : unknown + " crates' sources are not on this machine, so their "
                + "build-time code is unknown (run `cargo fetch` and model again)";

        List<Threat> threats = new ArrayList<>();
        threats.add(new Threat(Category.SPOOFING, "A typosquat or a public crate named like an internal one is "
                + "resolved instead of the intended crate", join(squats, confusion, List.of(thirdParty
                + " third-party crates chosen by name alone")), "`warden recon`; [recon] internal-prefixes; "
                + "[sources] internal-registry and allow-registries"));
        threats.add(new Threat(Category.TAMPERING, "Code changes under a name and version the project already "
                + "trusts: a moving git branch, an unchecksummed package, a compromised maintainer's new release",
                join(prefixed("git without a fixed rev: ", unpinnedGit), prefixed("no checksum: ", noChecksum),
                        List.of()), "Cargo.lock with `--locked` (`warden gate` checks it); `warden diff` on every "
                + "update; [recon] min-publish-age quarantine; [sources] require-git-rev"));
        threats.add(new Threat(Category.REPUDIATION, "A malicious release cannot be traced to a commit or an author, "
                + "and nobody can say which build ran it", join(prefixed("no repository declared: ", noRepository),
                List.of(), List.of()), "`warden churn` for release provenance; the store (~/.local/state/warden/projects/…/events.db) "
                + "records every gate decision and monitored build for `warden ir`"));
        threats.add(new Threat(Category.INFORMATION_DISCLOSURE, "Build scripts and proc macros run during `cargo "
                + "build` and can read the builder's secrets and send them out (the url-parse attack)",
                join(prefixed("build scripts: ", buildScripts), prefixed("proc macros: ", procMacros),
                        join(prefixed("secrets this build environment holds: ", visible),
                                unknownNote == null ? List.of() : List.of(unknownNote), List.of())),
                "`warden build` (sandbox: no network, decoy secrets, credential stores hidden); [build-code] allow; "
                        + "`warden scan`"));
        threats.add(new Threat(Category.DENIAL_OF_SERVICE, "A build depends on registries, git hosts and yanked "
                + "releases being available", List.of(sources.entrySet().stream().map(e -> e.getValue() + " from "
                + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("no third-party crates")),
                "vendoring or a private mirror (`warden registry`); `cargo fetch` in a staged, networked step"));
        threats.add(new Threat(Category.ELEVATION_OF_PRIVILEGE, "Build-time code and native libraries run with the "
                + "privileges of the developer or CI runner", join(prefixed("native libraries: ", natives),
                prefixed("build-time code: ", concat(buildScripts, procMacros)), List.of()),
                "least-privilege CI tokens; `warden build` sandbox; [unsafe] budgets; `warden gate --build`"));
        String name = project.rootManifest() != null && project.rootManifest().pkg() != null
                ? project.rootManifest().pkg().name() : project.root().getFileName().toString();
        return new Model(name, thirdParty, sources, buildScripts, procMacros, unknown, visible, threats);
    }

    private static String sourceKind(SourceId source, Project project, boolean cratesIoReplaced) {
        if (source.isCratesIo()) {
            return cratesIoReplaced ? "crates.io (replaced by a mirror or vendor directory)" : "crates.io";
        }
        if (source.isRegistry()) {
            return project.config().registryOf(source).map(r -> "registry '" + r.name() + "'")
                    .orElse("registry " + source.url());
        }
        return source.kind().prefix();
    }

    private static List<String> names(List<Finding> findings) {
        return findings.stream().filter(f -> f.crate() != null).map(f -> f.id() + ": " + f.crate()).distinct().toList();
    }

    private static List<String> prefixed(String prefix, List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        return List.of(prefix + String.join(", ", values.stream().limit(12).toList())
                + (values.size() > 12 ? " and " + (values.size() - 12) + " more" : ""));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> join(List<String> a, List<String> b, List<String> c) {
        List<String> all = concat(a, b);
        all.addAll(c);
        return all;
    }
}
