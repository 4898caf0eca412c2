package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.metrics.Measurements;
import dev.warden.evaluate.audit.AuditPolicy;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.report.FindingsReport;
import dev.warden.report.CargoAuditJson;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "audit", description = {
    "Check every locked crate against security advisories (RustSec and OSV): vulnerable, malicious, unsound,",
    "unmaintained and yanked versions. Works offline on the advisory data built into Warden."})
final class AuditCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Option(names = "--db", paramLabel = "PATH",
            description = "Advisory data to use instead of the built-in snapshot: a RustSec advisory-db checkout, "
                    + "an OSV directory, .json or .jsonl file (repeatable; sources are merged).")
    List<Path> databases = new ArrayList<>();

    @Option(names = "--ignore", paramLabel = "ID", description = "Leave out this advisory (repeatable).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--deny", paramLabel = "KIND",
            description = "Also fail on unmaintained, unsound, notice, yanked, stale, or all warnings (repeatable).")
    List<AuditPolicy.Warning.Kinds> deny = new ArrayList<>();

    @Option(names = "--fail-level", paramLabel = "SEVERITY",
            description = "Fail on vulnerabilities at or above info, low, medium, high or critical (default: low).")
    Severity failLevel;

    @Option(names = "--target-os", paramLabel = "OS", description = "Leave out advisories limited to other OSes.")
    String targetOs;

    @Option(names = "--target-arch", paramLabel = "ARCH",
            description = "Leave out advisories limited to other CPU architectures.")
    String targetArch;

    @Option(names = "--stale", paramLabel = "DURATION",
            description = "Report advisory data older than this, e.g. 30d or 12w (default: 90d).")
    String stale;

    @Mixin
    IndexOption indexOption;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    SarifOption sarif;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.SARIF, Format.MARKDOWN,
                Format.CARGO_AUDIT_JSON);
        Project project = context.project(path);
        Policy policy = policyOption.load(context.env(), project.root());
        AuditPolicy auditPolicy = withOptions(policy.audit());
        AdvisoryDatabase db = AdvisorySources.select(databases.stream()
                .map(p -> context.env().workingDirectory().resolve(p)).toList(), context.env());
        context.warn(db.problems());

        IndexOption.Opened registry = indexOption.open(context.env(), policy.indexUrl());
        DependencyGraph graph = context.graph(project);
        AuditCheck check = new AuditCheck(db, auditPolicy, registry.index());
        List<Finding> findings = check.run(new CheckContext(project, graph, context.env()));
        Verdict verdict = check.judge(findings);
        context.warn(registry.failures("yanked status unknown"));
        store.record(context, project, "audit", Measurements.vulnerabilities(findings));

        Map<String, String> details = new LinkedHashMap<>();
        details.put("advisory data", db.summary());
        details.put("registry index", registry.describe());
        details.put("fail level", auditPolicy.failLevel().label()
                + (auditPolicy.deny().isEmpty() ? "" : "; also failing on " + auditPolicy.deny()));
        FindingsReport.Subject subject = new FindingsReport.Subject(project.display(project.lockfile().path()) + " ("
                + project.lockfile().packages().size() + " packages)", details);
        String lockfile = project.display(project.lockfile().path());
        if (format == Format.CARGO_AUDIT_JSON) {
            context.emit(out -> CargoAuditJson.write(verdict, db, project.lockfile(), auditPolicy, out));
        } else {
            context.emitFindings(format, "audit", subject, verdict, sarif, lockfile);
        }
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    /** Command-line options extend or replace the policy file's [audit] section. */
    private AuditPolicy withOptions(AuditPolicy base) {
        Set<AuditPolicy.Warning> denied = base.deny().isEmpty() ? EnumSet.noneOf(AuditPolicy.Warning.class)
                : EnumSet.copyOf(base.deny());
        for (AuditPolicy.Warning.Kinds kinds : deny) {
            denied.addAll(kinds.kinds());
        }
        List<AuditPolicy.Ignore> ignores = new ArrayList<>(base.ignores());
        for (String id : ignore) {
            ignores.add(new AuditPolicy.Ignore(id, "--ignore on the command line", null, null, 0));
        }
        return new AuditPolicy(failLevel == null ? base.failLevel() : failLevel, denied, ignores,
                targetOs == null ? base.targetOs() : targetOs, targetArch == null ? base.targetArch() : targetArch,
                stale == null ? base.staleAfter() : PolicyLoader.duration("--stale", stale));
    }
}
