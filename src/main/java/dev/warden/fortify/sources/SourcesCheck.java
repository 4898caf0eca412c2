package dev.warden.fortify.sources;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.config.RegistryDefinition;
import dev.warden.cargo.lock.GitReference;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.fortify.FortifyRules;
import dev.warden.recon.ReconPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Enforces {@code [sources]}: every locked crate comes from crates.io, an allowed registry or an allowed git
 * repository at a fixed revision, and internal crates come from the internal registry. Crates.io itself is always
 * allowed — a team that replaces it with a mirror or vendors it still locks crates.io sources.
 */
public final class SourcesCheck implements Check {

    private final SourcesPolicy policy;
    private final ReconPolicy recon;

    /** @param recon where the internal crate prefixes come from */
    public SourcesCheck(SourcesPolicy policy, ReconPolicy recon) {
        this.policy = policy;
        this.recon = recon;
    }

    @Override
    public String name() {
        return "sources";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        Project project = context.project();
        CargoConfig config = project.config();
        String lockfile = project.display(project.lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (LockedPackage pkg : project.lockfile().packages()) {
            SourceId source = pkg.source();
            if (source == null) {
                continue;
            }
            String version = pkg.version().toString();
            List<Evidence> at = List.of(new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion()));
            String where = describe(source, config);
            if (source.isRegistry() && !source.isCratesIo() && policy.allowRegistries() != null
                    && policy.allowRegistries().stream().noneMatch(allowed -> names(allowed, source, config))) {
                findings.add(new Finding(FortifyRules.REGISTRY_NOT_ALLOWED, pkg.name(), version, pkg.name() + " "
                        + version + " comes from " + where + ", which [sources] allow-registries does not list",
                        at));
            }
            if (source.isGit() && policy.allowGit() != null
                    && policy.allowGit().stream().noneMatch(prefix -> gitMatches(prefix, source))) {
                findings.add(new Finding(FortifyRules.GIT_SOURCE_NOT_ALLOWED, pkg.name(), version, pkg.name() + " "
                        + version + " comes from git repository " + source.url()
                        + ", which [sources] allow-git does not list", at));
            }
            if (source.isGit() && policy.requireGitRev() && !source.reference().isPinned()) {
                findings.add(new Finding(FortifyRules.GIT_WITHOUT_REV, pkg.name(), version, pkg.name() + " "
                        + version + " follows " + follows(source) + " of " + source.url()
                        + ": pin it with rev = \"" + (source.precise() == null ? "<commit>" : source.precise())
                        + "\"", at));
            }
            // Crates.io copies of internal names are reported by recon as dependency confusion.
            String prefix = recon.internalPrefix(pkg.name());
            if (prefix != null && policy.internalRegistry() != null && !source.isCratesIo()
                    && !names(policy.internalRegistry(), source, config)) {
                findings.add(new Finding(FortifyRules.INTERNAL_WRONG_SOURCE, pkg.name(), version, pkg.name() + " "
                        + version + " is named like an internal crate (prefix '" + prefix + "') but comes from "
                        + where + ", not registry '" + policy.internalRegistry() + "'", at));
            }
        }
        return findings;
    }

    /** Whether {@code allowed}, a registry name from the Cargo configuration or an index URL, names this source. */
    private static boolean names(String allowed, SourceId source, CargoConfig config) {
        if (!source.isRegistry()) {
            return false;
        }
        Optional<RegistryDefinition> registry = config.registryOf(source);
        if (registry.isPresent() && registry.get().name().equals(allowed)) {
            return true;
        }
        return allowed.contains("://") && source.isServedBy(allowed);
    }

    /** A prefix matches whole path segments: {@code github.com/acme} allows {@code github.com/acme/x}, not {@code acme-evil}. */
    private static boolean gitMatches(String prefix, SourceId source) {
        String url = SourceId.canonicalUrl(source.url()).toLowerCase(Locale.ROOT);
        String allowed = SourceId.canonicalUrl(prefix.replaceFirst("^git\\+", "")).toLowerCase(Locale.ROOT);
        return url.equals(allowed) || url.startsWith(allowed + "/");
    }

    private static String follows(SourceId source) {
        return source.reference().kind() == GitReference.Kind.DEFAULT_BRANCH ? "the default branch"
                : source.reference().queryParameter() + " '" + source.reference().value() + "'";
    }

    private static String describe(SourceId source, CargoConfig config) {
        return config.registryOf(source).map(r -> "registry '" + r.name() + "' (" + source.url() + ")")
                .orElse(source.describe());
    }
}
