package dev.warden.evaluate.audit;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.PathFinder;
import dev.warden.cargo.index.IndexEntry;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.evaluate.advisory.Advisory;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AffectedVersions;
import dev.warden.evaluate.advisory.Informational;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Matches every locked package against the advisory data with Cargo's semver rules and the advisory's registry,
 * flags crates whose very name is known-malicious, yanked versions (when an index is available), and the state of
 * the policy's own ignores. One finding per (package, advisory), with the lockfile line as evidence and the shortest
 * dependency path that pulls the package in.
 */
public final class AuditCheck implements Check {

    private final AdvisoryDatabase database;
    private final AuditPolicy policy;
    private final RegistryIndex index;

    public AuditCheck(AdvisoryDatabase database, AuditPolicy policy, RegistryIndex index) {
        this.database = database;
        this.policy = policy;
        this.index = index;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        LocalDate today = LocalDate.ofInstant(context.env().clock().instant(), ZoneOffset.UTC);
        DependencyGraph graph = context.graph();
        PathFinder paths = new PathFinder(graph);
        String lockfile = context.project().display(context.project().lockfile().path());
        Map<String, AuditPolicy.Ignore> ignores = new LinkedHashMap<>();
        for (AuditPolicy.Ignore ignore : policy.ignores()) {
            ignores.put(ignore.id(), ignore);
        }
        Set<String> usedIgnores = new HashSet<>();
        List<Finding> findings = new ArrayList<>();

        for (DependencyGraph.Node node : graph.nodes()) {
            LockedPackage pkg = node.pkg();
            Evidence evidence = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            // Most packages have no finding; the dependency path is worked out only for those that do.
            Supplier<String> path = () -> shortestPath(paths, node);
            boolean maliciousMatched = false;
            for (Advisory advisory : database.forCrate(pkg.name())) {
                if (!advisory.affects(pkg) || !platformApplies(advisory)) {
                    continue;
                }
                Optional<String> ignoredAs = advisory.ids().stream().filter(ignores::containsKey).findFirst();
                if (ignoredAs.isPresent()) {
                    usedIgnores.add(ignoredAs.get());
                    if (!ignores.get(ignoredAs.get()).expired(today)) {
                        continue;
                    }
                }
                maliciousMatched |= advisory.isMalicious();
                findings.add(advisoryFinding(advisory, pkg, evidence, path.get()));
            }
            if (!maliciousMatched && database.maliciousCrates().contains(pkg.name())) {
                findings.add(maliciousName(pkg, evidence, path.get()));
            }
            if (pkg.source() != null && pkg.source().isRegistry()) {
                yanked(pkg, evidence, path).ifPresent(findings::add);
            }
        }

        for (AuditPolicy.Ignore ignore : ignores.values()) {
            Evidence where = ignore.file() == null ? new Evidence("--ignore", 0, ignore.id())
                    : new Evidence(ignore.file(), ignore.line(), ignore.id());
            if (ignore.expired(today)) {
                findings.add(new Finding(AuditRules.IGNORE_EXPIRED, null, null, "ignore of " + ignore.id()
                        + " expired on " + ignore.expires() + " (reason was: " + ignore.reason() + ")",
                        List.of(where)));
            } else if (!usedIgnores.contains(ignore.id())) {
                findings.add(new Finding(AuditRules.IGNORE_UNUSED, null, null, "ignore of " + ignore.id()
                        + " matches no locked package", List.of(where)));
            }
        }
        if (database.dataDate() != null) {
            long age = ChronoUnit.DAYS.between(database.dataDate(), today);
            if (age > policy.staleAfter().toDays()) {
                findings.add(new Finding(AuditRules.DATABASE_STALE, null, null, "advisory data is " + age
                        + " days old (" + database.dataDate() + "); run `warden db update`",
                        List.of(new Evidence(database.description(), 0, null))));
            }
        }
        return findings;
    }

    /**
     * Whether a change's base already had this advisory finding through some version of the crate — an upgrade
     * within the affected range, or one more affected copy next to those already there — so that the change did not
     * bring it. The one rule {@code warden diff} (what is new) and the gate (what blocks) share.
     */
    public boolean heldInBase(Finding finding, Change change) {
        return change.base().map(base -> base.lockfile().named(finding.crate())).orElse(List.of()).stream()
                .anyMatch(old -> alsoAffects(finding, old));
    }

    /** Whether an advisory finding about one package holds for another package of the same crate too. */
    private boolean alsoAffects(Finding finding, LockedPackage other) {
        if (finding.rule() == AuditRules.MALICIOUS_NAME) {
            return database.maliciousCrates().contains(other.name());
        }
        String advisory = finding.attributes().get("advisory");
        return advisory != null && database.forCrate(other.name()).stream()
                .anyMatch(a -> a.id().equals(advisory) && a.affects(other) && platformApplies(a));
    }

    /** Applies the policy: vulnerabilities at or above the fail level block, warnings only when denied. */
    public Verdict judge(List<Finding> findings) {
        List<Finding> blocking = new ArrayList<>();
        for (Finding finding : findings) {
            AuditPolicy.Warning warning = warningKind(finding.rule());
            boolean blocks = warning == null
                    ? finding.rule() != AuditRules.IGNORE_UNUSED && finding.severity().atLeast(policy.failLevel())
                    : policy.deny().contains(warning);
            if (blocks) {
                blocking.add(finding);
            }
        }
        List<String> notes = new ArrayList<>();
        long ignored = policy.ignores().size();
        if (ignored > 0) {
            notes.add(ignored + " advisor" + (ignored == 1 ? "y" : "ies") + " ignored by policy");
        }
        return new Verdict(findings, blocking, notes);
    }

    private static AuditPolicy.Warning warningKind(Rule rule) {
        if (rule == AuditRules.UNMAINTAINED) {
            return AuditPolicy.Warning.UNMAINTAINED;
        }
        if (rule == AuditRules.UNSOUND) {
            return AuditPolicy.Warning.UNSOUND;
        }
        if (rule == AuditRules.NOTICE) {
            return AuditPolicy.Warning.NOTICE;
        }
        if (rule == AuditRules.YANKED) {
            return AuditPolicy.Warning.YANKED;
        }
        return rule == AuditRules.DATABASE_STALE ? AuditPolicy.Warning.STALE : null;
    }

    private boolean platformApplies(Advisory advisory) {
        return (policy.targetOs() == null || advisory.os().isEmpty() || advisory.os().contains(policy.targetOs()))
                && (policy.targetArch() == null || advisory.arch().isEmpty()
                || advisory.arch().contains(policy.targetArch()));
    }

    private static Finding advisoryFinding(Advisory advisory, LockedPackage pkg, Evidence evidence, String path) {
        Rule rule;
        Severity severity;
        if (advisory.isMalicious()) {
            rule = AuditRules.MALICIOUS;
            severity = Severity.CRITICAL;
        } else if (advisory.informational() == Informational.UNMAINTAINED) {
            rule = AuditRules.UNMAINTAINED;
            severity = rule.defaultSeverity();
        } else if (advisory.informational() == Informational.UNSOUND) {
            rule = AuditRules.UNSOUND;
            severity = rule.defaultSeverity();
        } else if (advisory.informational() != null) {
            rule = AuditRules.NOTICE;
            severity = rule.defaultSeverity();
        } else {
            rule = AuditRules.VULNERABLE;
            // Without a CVSS vector the impact is unknown: assume high rather than hide it.
            severity = advisory.cvss() == null ? rule.defaultSeverity()
                    : max(advisory.cvss().severity(), Severity.LOW);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("advisory", advisory.id());
        if (!advisory.aliases().isEmpty()) {
            attributes.put("aliases", String.join(", ", advisory.aliases()));
        }
        attributes.put("title", advisory.title());
        put(attributes, "url", advisory.url());
        put(attributes, "date", advisory.date());
        if (advisory.cvss() != null) {
            attributes.put("cvss", advisory.cvss().vector());
            attributes.put("score", String.valueOf(advisory.cvss().score()));
        }
        put(attributes, "solution", solution(advisory));
        if (!advisory.categories().isEmpty()) {
            attributes.put("categories", advisory.categories().stream().sorted().collect(Collectors.joining(", ")));
        }
        if (!advisory.functions().isEmpty()) {
            attributes.put("functions", String.join(", ", advisory.functions().keySet()));
        }
        if (!advisory.os().isEmpty()) {
            attributes.put("os", String.join(", ", advisory.os()));
        }
        if (!advisory.arch().isEmpty()) {
            attributes.put("arch", String.join(", ", advisory.arch()));
        }
        put(attributes, "path", path);
        String message = advisory.id() + ": " + (advisory.title().isEmpty() ? advisory.summary() : advisory.title());
        return new Finding(rule, severity, pkg.name(), pkg.version().toString(), message, List.of(evidence), attributes);
    }

    /** What to do: upgrade to a patched version when there is one, else what the kind of advisory calls for. */
    static String solution(Advisory advisory) {
        List<String> fixed = switch (advisory.versions()) {
            case AffectedVersions.Requirements r -> r.patched().stream().map(VersionReq::toString).toList();
            case AffectedVersions.Ranges r -> r.ranges().stream().flatMap(range -> range.events().stream())
                    .filter(e -> e.kind() == AffectedVersions.Ranges.Event.Kind.FIXED)
                    .map(e -> ">=" + e.version()).toList();
        };
        if (!fixed.isEmpty()) {
            return "upgrade to " + String.join(" or ", fixed);
        }
        // No patched version, but versions outside the affected range (cargo-audit: "Upgrade to … (unaffected)").
        if (advisory.versions() instanceof AffectedVersions.Requirements r && !advisory.isMalicious()) {
            List<String> upward = r.unaffected().stream().map(VersionReq::toString)
                    .filter(req -> !req.startsWith("<")).toList();
            if (!upward.isEmpty()) {
                return "upgrade to " + String.join(" or ", upward) + " (unaffected)";
            }
        }
        if (advisory.isMalicious()) {
            return "remove the crate and treat machines that built it as compromised";
        }
        return advisory.informational() == Informational.UNMAINTAINED ? "switch to a maintained alternative"
                : "no fixed version yet";
    }

    private Finding maliciousName(LockedPackage pkg, Evidence evidence, String path) {
        String where = pkg.source() == null ? "a local path" : pkg.source().describe();
        List<String> ids = database.forCrate(pkg.name()).stream().filter(Advisory::isMalicious)
                .map(Advisory::id).toList();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("advisory", String.join(", ", ids));
        put(attributes, "path", path);
        boolean cratesIo = pkg.source() != null && pkg.source().isCratesIo();
        return new Finding(AuditRules.MALICIOUS_NAME, cratesIo ? Severity.CRITICAL : Severity.HIGH, pkg.name(),
                pkg.version().toString(), "a crate named '" + pkg.name() + "' was removed from crates.io as malicious ("
                + String.join(", ", ids) + "); this one comes from " + where, List.of(evidence), attributes);
    }

    private Optional<Finding> yanked(LockedPackage pkg, Evidence evidence, Supplier<String> path) {
        Optional<List<IndexEntry>> entries = index.versions(pkg.source(), pkg.name());
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        return entries.get().stream()
                .filter(entry -> entry.version().equals(pkg.version()) && entry.yanked())
                .findFirst()
                .map(entry -> {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    put(attributes, "path", path.get());
                    return new Finding(AuditRules.YANKED, AuditRules.YANKED.defaultSeverity(), pkg.name(),
                            pkg.version().toString(), pkg.id().nameAndVersion() + " was yanked from "
                            + pkg.source().describe(), List.of(evidence), attributes);
                });
    }

    private static String shortestPath(PathFinder paths, DependencyGraph.Node node) {
        List<List<DependencyGraph.Node>> found = paths.paths(node, 1);
        return found.isEmpty() ? null : found.getFirst().stream().map(n -> n.id().nameAndVersion())
                .collect(Collectors.joining(" → "));
    }

    private static void put(Map<String, String> attributes, String key, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            attributes.put(key, value.toString());
        }
    }

    private static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
