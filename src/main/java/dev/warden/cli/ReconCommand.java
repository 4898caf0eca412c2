package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.metrics.Measurements;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.recon.ReconPolicy;
import dev.warden.recon.confusion.ConfusionCheck;
import dev.warden.recon.freshness.FreshnessCheck;
import dev.warden.recon.publishers.PublisherDriftCheck;
import dev.warden.recon.publishers.RegistryData;
import dev.warden.recon.intel.IntelCheck;
import dev.warden.recon.intel.IntelHttp;
import dev.warden.recon.intel.IntelSources;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.TyposquatCheck;
import dev.warden.report.FindingsReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "recon", description = {
    "Look at who the dependencies are: names that imitate popular crates (typosquats), internal names that could",
    "resolve from crates.io (dependency confusion), moving git dependencies, and how fresh each crate is."})
final class ReconCommand implements Callable<Outcome> {

    enum Kind { TYPOSQUAT, CONFUSION, FRESHNESS }

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Check these crate names for typosquatting instead of a project (repeatable).")
    List<String> names = new ArrayList<>();

    @Option(names = "--only", paramLabel = "CHECK", split = ",",
            description = "Run only these checks: typosquat, confusion, freshness (default: all).")
    List<String> only = new ArrayList<>();

    @Option(names = "--popular", paramLabel = "FILE",
            description = "Popular crates to compare names with, instead of the built-in top 20,000 (CSV/TSV with a "
                    + "name and optional rank column, or one name per line in rank order).")
    Path popular;

    @Option(names = "--internal-prefix", paramLabel = "PREFIX",
            description = "A name prefix of your organisation's own crates, e.g. acme- (repeatable).")
    List<String> internalPrefixes = new ArrayList<>();

    @Mixin
    IndexOption indexOption;

    @Option(names = "--intel", description = {
        "Also ask public sources about the direct dependencies and every crate with a finding: crates.io (age,",
        "downloads, repository, owners), GitHub code search ($GITHUB_TOKEN) and Sourcegraph ($SRC_ACCESS_TOKEN).",
        "Answers are cached for a day under the Warden cache directory."})
    boolean intel;

    @Option(names = "--crates-io-url", paramLabel = "URL", defaultValue = "https://crates.io",
            description = "crates.io (or a mirror of its API) for --intel (default: ${DEFAULT-VALUE}).")
    String cratesIoUrl;

    @Option(names = "--github-api-url", paramLabel = "URL", defaultValue = "https://api.github.com",
            description = "The GitHub API for --intel code search (default: ${DEFAULT-VALUE}).")
    String githubApiUrl;

    @Option(names = "--sourcegraph-url", paramLabel = "URL", defaultValue = "https://sourcegraph.com",
            description = "Sourcegraph for --intel code search, or 'none' (default: ${DEFAULT-VALUE}).")
    String sourcegraphUrl;

    @Option(names = "--intel-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "Least time between two requests to one service (default: ${DEFAULT-VALUE}).")
    String intelInterval;

    @Option(names = "--fail-level", paramLabel = "SEVERITY",
            description = "Fail on findings at or above this severity (default: [recon] fail-level, else high).")
    Severity failLevel;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    RegistryDataOption registryData;

    @Mixin
    SarifOption sarif;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.SARIF, Format.MARKDOWN);
        Set<Kind> kinds = kinds();
        Severity level = failLevel;
        Map<String, String> details = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        String what;
        String location;
        ReconPolicy policy;
        if (!names.isEmpty()) {
            policy = withOptions(policyOption.load(context.env(), context.env().workingDirectory()).recon());
            PopularCrates list = popular(policy);
            details.put("popular crates", list.description());
            findings.addAll(new TyposquatCheck(list, policy).checkNames(names));
            what = names.size() + " name" + (names.size() == 1 ? "" : "s");
            location = "--name";
            if (intel) {
                Map<String, Evidence> crates = new LinkedHashMap<>();
                names.forEach(n -> crates.put(n, new Evidence("--name", 0, n)));
                intel(crates, details, findings);
            }
        } else {
            Project project = context.project(path);
            Policy base = policyOption.load(context.env(), project.root());
            policy = withOptions(base.recon());
            CheckContext check = new CheckContext(project, context.graph(project), context.env());
            PopularCrates list = popular(policy);
            if (kinds.contains(Kind.TYPOSQUAT)) {
                details.put("popular crates", list.description());
                findings.addAll(new TyposquatCheck(list, policy).run(check));
            }
            if (kinds.contains(Kind.CONFUSION)) {
                details.put("internal prefixes", policy.internalPrefixes().isEmpty() ? "none configured"
                        : String.join(", ", policy.internalPrefixes()));
                findings.addAll(new ConfusionCheck(list, policy).run(check));
            }
            FreshnessCheck.Assessment freshness = kinds.contains(Kind.FRESHNESS)
                    ? freshness(check, policy, base, details, findings) : null;
            try (RegistryData registry = registryData.open(context.env()).orElse(null)) {
                details.put("publishers", RegistryDataOption.describe(registry));
                if (registry != null) {
                    findings.addAll(new PublisherDriftCheck(registry).run(check));
                }
            }
            if (kinds.containsAll(EnumSet.of(Kind.TYPOSQUAT, Kind.CONFUSION, Kind.FRESHNESS))) {
                List<MetricLog.Measurement> measured = new ArrayList<>(Measurements.reconnaissance(findings,
                        !freshness.crates().isEmpty()));
                measured.addAll(Measurements.freshness(freshness));
                store.record(context, project, "recon", measured);
            }
            if (intel) {
                IntelSources sources = intel(cratesOfInterest(check, findings), details, findings);
                publicMentions(project, policy, sources, details);
            }
            what = project.display(project.lockfile().path()) + " (" + project.lockfile().packages().size()
                    + " packages)";
            location = project.display(project.lockfile().path());
        }
        Verdict verdict = Verdict.atOrAbove(findings, level != null ? level : policy.failLevel());
        details.put("fail level", (level != null ? level : policy.failLevel()).label());
        FindingsReport.Subject subject = new FindingsReport.Subject(what, details);
        context.emitFindings(format, "recon", subject, verdict, sarif, location);
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    private FreshnessCheck.Assessment freshness(CheckContext check, ReconPolicy policy, Policy base,
                                                Map<String, String> details, List<Finding> findings) {
        IndexOption.Opened registry = indexOption.open(context.env(), base.indexUrl());
        FreshnessCheck.Assessment assessment = new FreshnessCheck(registry.index(), policy).assess(check);
        details.put("freshness", assessment.summary());
        findings.addAll(assessment.findings());
        context.warn(registry.failures("freshness unknown"));
        return assessment;
    }

    /** Direct third-party dependencies and every crate something was found about, each with where it was locked. */
    private static Map<String, Evidence> cratesOfInterest(CheckContext check, List<Finding> findings) {
        String lockfile = check.project().display(check.project().lockfile().path());
        Map<String, Evidence> crates = new TreeMap<>();
        DependencyGraph graph = check.graph();
        for (DependencyGraph.Node root : graph.roots()) {
            for (DependencyGraph.Edge edge : graph.dependencies(root)) {
                LockedPackage pkg = graph.node(edge.to()).pkg();
                if (pkg.source() != null && pkg.source().isCratesIo()) {
                    crates.putIfAbsent(pkg.name(), new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion()));
                }
            }
        }
        for (Finding finding : findings) {
            if (finding.crate() != null) {
                check.project().lockfile().named(finding.crate()).stream()
                        .filter(p -> p.source() != null && p.source().isCratesIo()).findFirst()
                        .ifPresent(p -> crates.putIfAbsent(p.name(), new Evidence(lockfile, p.line(),
                                p.id().nameAndVersion())));
            }
        }
        return crates;
    }

    /**
     * How often public manifests name the project's internal crates (those under [recon] internal-prefixes: its
     * workspace members and what it locks), recorded as a metric; nothing when no source could answer.
     */
    private void publicMentions(Project project, ReconPolicy policy, IntelSources sources,
                                Map<String, String> details) {
        Set<String> internal = new TreeSet<>();
        project.lockfile().packages().stream().map(LockedPackage::name)
                .filter(name -> policy.internalPrefix(name) != null).forEach(internal::add);
        if (internal.isEmpty()) {
            return;
        }
        List<MetricLog.Measurement> measured = new ArrayList<>();
        long total = 0;
        for (String name : internal) {
            long mentions = sources.mentions(name);
            if (mentions >= 0) {
                total += mentions;
                measured.add(new MetricLog.Measurement(Metric.PUBLIC_MENTIONS, name, mentions));
            }
        }
        if (measured.isEmpty()) {
            details.put("public mentions", "unknown: no code search answered");
            return;
        }
        measured.add(MetricLog.Measurement.of(Metric.PUBLIC_MENTIONS, total));
        details.put("public mentions", total + " public manifest" + (total == 1 ? "" : "s") + " name the "
                + internal.size() + " internal crate" + (internal.size() == 1 ? "" : "s"));
        store.record(context, project, "recon", measured);
    }

    private IntelSources intel(Map<String, Evidence> crates, Map<String, String> details, List<Finding> findings) {
        Duration interval = PolicyLoader.duration("--intel-interval", intelInterval);
        IntelHttp http = IntelHttp.polite(context.env().cacheDirectory().resolve("intel"), context.env().clock(),
                interval, Main.version());
        IntelSources sources = new IntelSources(http, cratesIoUrl, githubApiUrl,
                context.env().variable("GITHUB_TOKEN").orElse(null),
                "none".equals(sourcegraphUrl) ? null : sourcegraphUrl,
                context.env().variable("SRC_ACCESS_TOKEN").orElse(null));
        findings.addAll(new IntelCheck(sources).run(crates, context.env().clock().instant()));
        details.put("intel", crates.size() + " crates looked up: " + http.summary());
        context.warn(http.failures().stream().map(f -> "intel unknown: " + f).toList());
        return sources;
    }

    private PopularCrates popular(ReconPolicy policy) {
        if (popular != null) {
            return PopularCrates.read(context.env().workingDirectory().resolve(popular));
        }
        return PopularCrates.of(policy);
    }

    private ReconPolicy withOptions(ReconPolicy base) {
        List<String> prefixes = new ArrayList<>(base.internalPrefixes());
        prefixes.addAll(internalPrefixes);
        return new ReconPolicy(base.failLevel(), prefixes, base.allowed(), base.minPublishAge(), base.staleAfter(),
                base.popular());
    }

    private Set<Kind> kinds() {
        if (only.isEmpty()) {
            return EnumSet.allOf(Kind.class);
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String word : only) {
            try {
                kinds.add(Kind.valueOf(word.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new WardenException("unknown check '" + word + "' for --only (expected typosquat, confusion "
                        + "or freshness)");
            }
        }
        return kinds;
    }
}
