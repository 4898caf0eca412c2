package dev.warden.recon.confusion;

import dev.warden.cargo.lock.GitReference;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.recon.ReconPolicy;
import dev.warden.recon.ReconRules;
import dev.warden.recon.typosquat.PopularCrates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Dependency confusion: the organisation's own crate names resolved from crates.io, declarations that leave the
 * registry to chance, private crates whose names also exist publicly, one name from two sources, and git
 * dependencies that follow a moving branch. Reads the lockfile, every workspace manifest and the Cargo configuration.
 */
public final class ConfusionCheck implements Check {

    /** The codes this check reports. */
    public static final Set<Rule> RULES = Set.of(ReconRules.INTERNAL_FROM_CRATES_IO,
            ReconRules.INTERNAL_WITHOUT_REGISTRY, ReconRules.PRIVATE_RESOLVED_PUBLICLY, ReconRules.NAME_ALSO_ON_CRATES_IO,
            ReconRules.SAME_NAME_TWO_SOURCES, ReconRules.GIT_UNPINNED);

    private final PopularCrates popular;
    private final ReconPolicy policy;

    public ConfusionCheck(PopularCrates popular, ReconPolicy policy) {
        this.popular = popular;
        this.policy = policy;
    }

    @Override
    public String name() {
        return "confusion";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        Project project = context.project();
        String lockfile = project.display(project.lockfile().path());
        List<Finding> findings = new ArrayList<>();
        Map<String, List<LockedPackage>> byName = project.lockfile().packages().stream()
                .collect(Collectors.groupingBy(LockedPackage::name, TreeMap::new, Collectors.toList()));

        for (LockedPackage pkg : project.lockfile().packages()) {
            if (pkg.source() == null) {
                continue;
            }
            Evidence at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            String prefix = policy.internalPrefix(pkg.name());
            if (prefix != null && pkg.source().isCratesIo()) {
                findings.add(new Finding(ReconRules.INTERNAL_FROM_CRATES_IO, pkg.name(), pkg.version().toString(),
                        pkg.name() + " " + pkg.version() + " is named like an internal crate (prefix '" + prefix
                                + "') but was locked from crates.io: anyone can publish that name there", List.of(at)));
            }
            PopularCrates.Entry publicTwin = popular.find(pkg.name());
            if (pkg.source().isRegistry() && !pkg.source().isCratesIo() && publicTwin != null) {
                findings.add(new Finding(ReconRules.NAME_ALSO_ON_CRATES_IO, pkg.name(), pkg.version().toString(),
                        pkg.name() + " comes from " + registryName(project, pkg.source()) + ", but crates.io has "
                                + publicTwin.name() + (publicTwin.name().equals(pkg.name()) ? ""
                                : " (the same name to crates.io, which treats - and _ alike)")
                                + ": a declaration without its `registry =` would get the public crate", List.of(at)));
            }
        }
        for (Map.Entry<String, List<LockedPackage>> entry : byName.entrySet()) {
            twoSources(entry.getKey(), entry.getValue(), lockfile, findings);
        }
        for (Manifest manifest : Stream.concat(project.members().stream(), project.otherLocal().stream()).toList()) {
            String file = project.display(manifest.path());
            for (Dependency dependency : manifest.dependencies()) {
                declaration(project, dependency, file, byName, findings);
            }
        }
        return findings;
    }

    private void declaration(Project project, Dependency dependency, String file,
                             Map<String, List<LockedPackage>> byName, List<Finding> findings) {
        String name = dependency.packageName();
        Evidence at = new Evidence(file, dependency.line(), name);
        if (dependency.isGit() && !dependency.gitReference().isPinned()) {
            boolean tag = dependency.gitReference().kind() == GitReference.Kind.TAG;
            String follows = switch (dependency.gitReference().kind()) {
                case BRANCH -> "branch '" + dependency.gitReference().value() + "'";
                case TAG -> "tag '" + dependency.gitReference().value() + "' (tags can be moved)";
                default -> "the default branch";
            };
            findings.add(new Finding(ReconRules.GIT_UNPINNED, tag ? Severity.LOW : Severity.MEDIUM, name, null,
                    name + " follows " + follows + " of " + dependency.git() + ": `cargo update` takes whatever is "
                            + "pushed there; pin it with rev = \"<commit>\"", List.of(at), Map.of()));
        }
        if (dependency.isPath() || dependency.isGit()) {
            return;
        }
        String prefix = policy.internalPrefix(name);
        if (prefix != null && dependency.registry() == null && project.config().defaultRegistry() == null) {
            findings.add(new Finding(ReconRules.INTERNAL_WITHOUT_REGISTRY, name, null, name
                    + " is named like an internal crate (prefix '" + prefix + "') but is declared without "
                    + "`registry = \"…\"`, so Cargo looks for it on crates.io", List.of(at)));
        }
        if (dependency.registry() != null) {
            List<LockedPackage> locked = byName.getOrDefault(name, List.of());
            boolean onlyPublic = !locked.isEmpty() && locked.stream().allMatch(p -> p.source() != null
                    && p.source().isCratesIo());
            if (onlyPublic) {
                findings.add(new Finding(ReconRules.PRIVATE_RESOLVED_PUBLICLY, name,
                        locked.getFirst().version().toString(), name + " is declared with registry = \""
                        + dependency.registry() + "\" but Cargo.lock has it from crates.io", List.of(at)));
            }
        }
    }

    private static void twoSources(String name, List<LockedPackage> packages, String lockfile, List<Finding> findings) {
        List<SourceId> origins = new ArrayList<>();
        for (LockedPackage pkg : packages) {
            if (origins.stream().noneMatch(o -> SourceId.sameOrigin(o, pkg.source()))) {
                origins.add(pkg.source());
            }
        }
        if (origins.size() > 1) {
            String where = origins.stream().map(o -> o == null ? "a local path" : o.describe())
                    .collect(Collectors.joining(", "));
            findings.add(new Finding(ReconRules.SAME_NAME_TWO_SOURCES, name, null, name + " is locked from "
                    + origins.size() + " sources (" + where + "): make sure each dependent gets the one it means",
                    packages.stream().map(p -> new Evidence(lockfile, p.line(), p.id().toString())).toList()));
        }
    }

    /** {@code registry 'acme'} when the configuration names it, else the index URL. */
    private static String registryName(Project project, SourceId source) {
        return project.config().registryOf(source).map(r -> "registry '" + r.name() + "'").orElse(source.describe());
    }
}
