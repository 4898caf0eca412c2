package dev.warden.cli;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.BaseResolver;
import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.MissingLockfileException;
import dev.warden.cargo.project.Project;
import dev.warden.core.store.Database;
import dev.warden.core.store.RunTags;
import dev.warden.core.Tasks;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;
import dev.warden.fortify.gate.GateRun;
import dev.warden.fortify.policy.Policy;
import dev.warden.limit.BuildRunner;
import dev.warden.metrics.Measurements;
import dev.warden.metrics.MetricLog;
import dev.warden.recon.publishers.LiveCratesIo;
import dev.warden.recon.publishers.OwnerChangeCheck;
import dev.warden.recon.publishers.RegistryData;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.report.Format;
import dev.warden.report.GateReport;
import dev.warden.report.SarifReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

@Command(name = "gate", description = {
    "The CI gate: one decision for a change, under the project's warden.toml. Checks that Cargo.lock is usable with",
    "--locked, then advisories, typosquats, dependency confusion and publish age, allowed sources, the code of every",
    "crate the change brings (fetched and verified when it is not on this machine; what cannot be read is",
    "source-unverified), a security diff against --base, build-code and unsafe policy, and with --build the",
    "sandboxed, monitored build. Every decision is recorded in the store (--store)."})
final class GateCommand implements Callable<Outcome> {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The project (default: current directory).")
    String path;

    @Option(names = "--base", paramLabel = "REV|FILE", description = {
        "What the change is compared with: a git revision of the project's Cargo.lock (e.g. origin/main),",
        "or a lockfile or project directory. Without it, the whole lockfile is the change."})
    String base;

    @Option(names = "--build", description = "Also run `cargo build --locked` in the sandbox, monitored, when the "
            + "static checks pass (a change they block is never built).")
    boolean build;

    @Option(names = "--report", paramLabel = "FORMAT=FILE", description = {
        "Also write the decision in another format to FILE, e.g. --report markdown=comment.md",
        "--report sarif=warden.sarif (repeatable): one run for the CI log, the PR comment and code scanning."})
    List<String> reports = new ArrayList<>();

    @Mixin
    SourcesOption sources;

    /** What the decision rests on, for the report's header (none when there was nothing to judge). */
    private String advisoryData = "not used";
    private String indexUsed = "not used";
    private String publishersChecked = "not used";

    @Mixin
    StoreOption store;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    IndexOption indexOption;

    @Mixin
    RegistryDataOption registryData;

    @Mixin
    RepoCacheOption repoCache;

    @Mixin
    SarifOption sarif;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Database.preload(context.env().cacheDirectory()); // every gate ends by recording its decision
        PopularCrates.preload(); // and checks names, against this list unless the policy names another
        Format format = context.format(Format.TEXT, Format.JSON, Format.MARKDOWN, Format.SARIF);
        Map<Format, Path> extra = extraReports();
        Project project;
        try {
            project = context.project(path);
        } catch (MissingLockfileException e) {
            Path root = e.lockfile().getParent();
            Gate.Result missing = Gate.lockfileMissing(display(e.lockfile()));
            CompletableFuture<Database> opening = CompletableFuture.completedFuture(openStore(root));
            try {
                return decide(root, List.of(), null, missing, Map.of(), display(e.lockfile()), format, extra, opening);
            } finally {
                closeWhenOpen(opening);
            }
        }
        // The base is read (a lockfile, or a git revision) while the policy, the index and the graph are prepared.
        Path lockfilePath = project.lockfile().path();
        CompletableFuture<Base> resolving = CompletableFuture.supplyAsync(() -> base == null ? null
                : BaseResolver.resolve(base, lockfilePath, context.env()));
        Policy policy = policyOption.load(context.env(), project.root());
        IndexOption.Opened index = indexOption.open(context.env(), policy.indexUrl());
        AdvisoryDatabase advisories = AdvisorySources.select(List.of(), context.env());
        advisoryData = advisories.summary();
        indexUsed = index.describe();
        DependencyGraph graph = context.graph(project);
        Base before = Tasks.join(resolving);
        // The inputs are good: the store the decision goes to opens on another core while the checks run (a
        // connection, and a new store's file), never for a gate that ends on bad input.
        CompletableFuture<Database> opening = CompletableFuture.supplyAsync(() -> openStore(project.root()));
        try {
            return judge(project, graph, policy, index, advisories, before, format, extra, opening);
        } finally {
            closeWhenOpen(opening);
        }
    }

    private Outcome judge(Project project, DependencyGraph graph, Policy policy, IndexOption.Opened index,
                          AdvisoryDatabase advisories, Base before, Format format, Map<Format, Path> extra,
                          CompletableFuture<Database> opening) {
        Gate.Result result;
        GateRun.Owners owners = null;
        try (RegistryData registry = registryData.open(context.env()).orElse(null)) {
            if (registry != null) {
                owners = owners(project, registry, Tasks.join(opening));
            }
            // Every network lookup beyond downloads follows the same switches: --offline, [gate] offline, Cargo's.
            boolean offline = sources.offline || policy.gate().offline() || project.config().offline();
            LiveCratesIo live = registryData.live(context.env(), offline);
            publishersChecked = RegistryDataOption.describe(registry) + (live == null ? ""
                    : registry == null ? "; crates.io's API for the crates the change brings"
                    : "; crates.io's API for what it does not list");
            result = GateRun.call(project, graph, context.env(),
                    new GateRun.Options(policy, advisories, index.index(),
                            PopularCrates.of(policy.recon()), before, sources.offline,
                            SourcesOption.progress(context.err()), registry, live,
                            repoCache.open(context.env(), offline), owners));
        }
        context.warn(index.failures("publish ages and yanked flags unknown"));
        if (build && result.blocked()) {
            context.err().println("warden gate: build skipped: the change is already blocked, and its build scripts "
                    + "are not run");
        } else if (build) {
            BuildRunner.Result built = BuildRunner.run(BuildRunner.Layout.of(project),
                    context.env().withWorkingDirectory(project.root()), policy.limit(),
                    new BuildRunner.Options(List.of("cargo", "build", "--locked"), List.of(), false,
                            store.location(context.env(), project.root())),
                    line -> context.err().println(line));
            result = Gate.withBuild(result, built.findings(), policy, GateRun.today(context.env()));
            if (built.exitCode() != 0) {
                context.err().println("warden gate: the build itself failed (exit " + built.exitCode()
                        + "); the gate judges only what it did, your CI's own build step reports why");
            }
        }
        return decide(project.root(), project.lockfile().packages(), before, result,
                owners == null ? Map.of() : owners.current(),
                project.display(project.lockfile().path()), format, extra, opening);
    }

    private Database openStore(Path root) {
        return Database.open(store.location(context.env(), root), "the gate's decision log",
                context.env().cacheDirectory());
    }

    /** Closes the store once it has opened (it may still be opening when an error ends the gate early). */
    private static void closeWhenOpen(CompletableFuture<Database> opening) {
        Database database;
        try {
            database = Tasks.join(opening);
        } catch (RuntimeException failedToOpen) {
            return; // said where the store was needed, or the gate ended for another reason first
        }
        database.close();
    }

    /** The crates' owners now (registry data) and at the project's last gate run (the store). */
    private GateRun.Owners owners(Project project, RegistryData registry, Database database) {
        List<String> names = project.lockfile().packages().stream().filter(p -> p.source() != null
                && p.source().isCratesIo()).map(LockedPackage::name).distinct().toList();
        Map<String, Set<String>> current = OwnerChangeCheck.owners(registry.crates(names));
        return new GateRun.Owners(DecisionLog.on(database).owners(project.root()), current);
    }

    /** Records the decision in the store, then reports it. */
    private Outcome decide(Path root, List<LockedPackage> packages, Base before, Gate.Result result,
                           Map<String, Set<String>> owners, String lockfile, Format format,
                           Map<Format, Path> extra, CompletableFuture<Database> opening) {
        Instant now = context.env().clock().instant();
        Database database = Tasks.join(opening);
        DecisionLog log = DecisionLog.on(database);
        long run = log.record(now, root, packages, before == null ? null : before.display(), result, owners,
                RunTags.of(context.env()));
        DecisionLog.Metrics metrics = log.metrics(root.toString());
        MetricLog.on(database, store.location(context.env(), root).journal(context.env()))
                .record(root.toString(), now, "gate#" + run, Measurements.gate(result, before != null));
        GateReport.Subject subject = new GateReport.Subject(display(root), before == null ? null : before.display(),
                packages.size(), advisoryData, indexUsed, publishersChecked);
        context.emit(out -> report(format, subject, result, metrics, lockfile, out));
        extra.forEach((other, file) -> context.write(file, out -> report(other, subject, result, metrics, lockfile,
                out)));
        return result.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    private void report(Format format, GateReport.Subject subject, Gate.Result result, DecisionLog.Metrics metrics,
                        String lockfile, PrintWriter out) {
        switch (format) {
            case JSON -> GateReport.json(subject, result, metrics, out);
            case MARKDOWN -> GateReport.markdown(subject, result, out);
            case SARIF -> SarifReport.write(result.verdict(), Main.version(), lockfile, sarif.minimum(), out);
            default -> GateReport.text(subject, result, metrics, out);
        }
    }

    /** {@code --report FORMAT=FILE}, checked before anything runs. */
    private Map<Format, Path> extraReports() {
        Map<Format, Path> extra = new LinkedHashMap<>();
        for (String report : reports) {
            int eq = report.indexOf('=');
            Format format = eq <= 0 ? null : Arrays.stream(new Format[] {Format.TEXT, Format.JSON, Format.MARKDOWN,
                    Format.SARIF}).filter(f -> f.label().equals(report.substring(0, eq))).findFirst().orElse(null);
            if (format == null || eq == report.length() - 1) {
                throw new WardenException("--report '" + report + "': expected FORMAT=FILE with FORMAT one of "
                        + "text, json, markdown, sarif");
            }
            extra.put(format, Path.of(report.substring(eq + 1)));
        }
        return extra;
    }

    private String display(Path path) {
        Path relative = context.env().workingDirectory().relativize(path.toAbsolutePath().normalize());
        return relative.toString().isEmpty() ? "." : relative.toString();
    }
}
