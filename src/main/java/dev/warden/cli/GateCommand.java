package dev.warden.cli;

import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.evaluate.diff.LockfileRevision;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;
import dev.warden.fortify.policy.Policy;
import dev.warden.limit.BuildRunner;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.report.Format;
import dev.warden.report.GateReport;
import dev.warden.report.SarifReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "gate", description = {
    "The CI gate: one decision for a change, under the project's warden.toml. Checks that Cargo.lock is usable with",
    "--locked, then advisories, typosquats, dependency confusion and publish age, allowed sources, a security diff",
    "against --base (or a scan of every crate without one), build-code and unsafe policy, and with --build the",
    "sandboxed, monitored build. Every decision is recorded in target/warden/events.db."})
final class GateCommand implements Callable<Outcome> {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The project (default: current directory).")
    String path;

    @Option(names = "--base", paramLabel = "REV|FILE", description = {
        "What the change is compared with: a git revision of the project's Cargo.lock (e.g. origin/main),",
        "or a lockfile or project directory. Without it, every third-party crate is scanned."})
    String base;

    @Option(names = "--build", description = "Also run `cargo build --locked` in the sandbox, monitored, when the "
            + "static checks pass (a change they block is never built).")
    boolean build;

    @Mixin
    StoreOption store;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    IndexOption indexOption;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.MARKDOWN, Format.SARIF);
        Project project = context.project(path);
        Policy policy = policyOption.load(context.env(), project.root());
        Gate.Base before = base == null ? null : base(project);
        IndexOption.Opened index = indexOption.open(context.env(), policy.indexUrl());
        CheckContext checks = new CheckContext(project, context.graph(project), context.env());
        PopularCrates popular = PopularCrates.of(policy.recon());
        Gate.Result result = Gate.evaluate(checks, policy, AdvisorySources.select(List.of(), context.env()),
                index.index(), popular, before);
        context.warn(index.failures("publish ages and yanked flags unknown"));
        if (build && result.blocked()) {
            context.err().println("warden gate: build skipped: the change is already blocked, and its build scripts "
                    + "are not run");
        } else if (build) {
            BuildRunner.Result built = BuildRunner.run(BuildRunner.Layout.of(project),
                    context.env().withWorkingDirectory(project.root()), policy.limit(),
                    new BuildRunner.Options(List.of("cargo", "build", "--locked"), List.of(), false, null),
                    line -> context.err().println(line));
            result = Gate.withBuild(result, built.findings(), policy, checks);
        }
        DecisionLog.Metrics metrics;
        try (DecisionLog log = DecisionLog.open(store.file(context.env(), project.root()),
                context.env().cacheDirectory())) {
            log.record(context.env().clock().instant(), project, before == null ? null : before.display(), result);
            metrics = log.metrics();
        }
        Gate.Result decided = result;
        Path relative = context.env().workingDirectory().relativize(project.root().toAbsolutePath().normalize());
        GateReport.Subject subject = new GateReport.Subject(relative.toString().isEmpty() ? "." : relative.toString(),
                before == null ? null : before.display(), project.lockfile().packages().size());
        context.emit(out -> {
            switch (format) {
                case JSON -> GateReport.json(subject, decided, metrics, out);
                case MARKDOWN -> GateReport.markdown(subject, decided, out);
                case SARIF -> SarifReport.write(decided.verdict(), Main.version(),
                        project.display(project.lockfile().path()), out);
                default -> GateReport.text(subject, decided, metrics, out);
            }
        });
        return result.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    /** A lockfile or project on disk, else a git revision of the project's own Cargo.lock. */
    private Gate.Base base(Project project) {
        Path onDisk = context.env().workingDirectory().resolve(base);
        if (Files.exists(onDisk)) {
            Lockfile lockfile = context.project(onDisk.toString()).lockfile();
            return new Gate.Base(lockfile, base);
        }
        Lockfile atRevision = LockfileRevision.read(project.lockfile().path(), base);
        return new Gate.Base(atRevision, atRevision.path().toString());
    }
}
