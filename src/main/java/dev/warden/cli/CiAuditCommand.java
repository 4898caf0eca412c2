package dev.warden.cli;

import dev.warden.check.Verdict;
import dev.warden.core.FileTree;
import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.fortify.policy.Policy;
import dev.warden.limit.iam.ActionCatalog;
import dev.warden.limit.iam.IamCheck;
import dev.warden.limit.iam.IamPolicies;
import dev.warden.limit.pipeline.PipelineAudit;
import dev.warden.limit.pipeline.Pipelines;
import dev.warden.metrics.Measurements;
import dev.warden.metrics.MetricLog;
import dev.warden.report.FindingsReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ci-audit", description = {
    "Audit the CI that builds the project (GitHub Actions workflows with their local composite actions, GitLab CI",
    "with local includes): static cloud keys where OIDC exists, credential lifetimes, token permissions, secrets",
    "where dependencies are compiled, cargo without --locked, builds without egress filtering; with --iam, how many",
    "AWS actions the build role may use."})
final class CiAuditCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = {
        "A directory in the repository (default: current directory). The CI definitions are read from the",
        "nearest directory up from PATH that has .github/workflows or .gitlab-ci.yml (at most the repository's",
        "root); the policy from PATH's warden.toml."})
    String path;

    @Option(names = "--fail-level", paramLabel = "SEVERITY",
            description = "Fail on findings at or above this severity (default: [ci] fail-level, high).")
    Severity failLevel;

    @Option(names = "--iam", paramLabel = "FILE", description = {
        "Count what the build role may do: an AWS IAM policy document, or an `aws iam",
        "get-account-authorization-details` export (its roles' inline and attached policies). Repeatable."})
    List<Path> iam = new ArrayList<>();

    @Option(names = "--role", paramLabel = "NAME",
            description = "With an export: count only these roles (repeatable; default: every role in it).")
    List<String> roles = new ArrayList<>();

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
        Format format = context.format(Format.TEXT, Format.JSON, Format.SARIF, Format.MARKDOWN);
        Path dir = context.directory(path);
        Policy policy = policyOption.load(context.env(), dir);
        Path repository = Pipelines.root(dir);
        Pipelines pipelines = Pipelines.read(FileTree.directory(repository));
        PipelineAudit.Result result = PipelineAudit.run(pipelines, policy.ci());
        Severity level = failLevel != null ? failLevel : policy.ci().failLevel();
        List<String> notes = new ArrayList<>();
        if (pipelines.isEmpty()) {
            notes.add("no CI definitions here (.github/workflows/*.yml, .gitlab-ci.yml): nothing was audited");
        }
        List<IamCheck.Count> counts = iamCounts();
        List<Finding> findings = new ArrayList<>(result.findings());
        counts.forEach(count -> findings.addAll(count.findings()));
        Verdict judged = Verdict.atOrAbove(findings, level);
        Verdict verdict = new Verdict(judged.findings(), judged.blocking(), notes);
        List<MetricLog.Measurement> measured = new ArrayList<>(Measurements.pipeline(result.summary()));
        measured.addAll(Measurements.iam(counts));
        store.record(context, dir, "ci-audit", measured);

        PipelineAudit.Summary summary = result.summary();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("files", pipelines.files().isEmpty() ? "none"
                : Printable.of(String.join(", ", pipelines.files().keySet())));
        details.put("jobs", summary.jobs() + " in " + summary.pipelines() + " pipeline"
                + (summary.pipelines() == 1 ? "" : "s"));
        details.put("cargo calls locked", summary.cargoCalls() == 0 ? "no cargo calls"
                : summary.lockedCalls() + " of " + summary.cargoCalls() + String.format(java.util.Locale.ROOT,
                " (%.0f %%)", 100.0 * summary.lockedShare()));
        details.put("static credentials", String.valueOf(summary.staticCredentials()));
        details.put("longest credential lifetime", summary.longestTtl() == null
                ? (summary.staticCredentials() > 0 ? "unbounded (static credentials only)" : "no credentials obtained")
                : PipelineAudit.duration(summary.longestTtl())
                        + (summary.staticCredentials() > 0 ? "; static ones unbounded" : ""));
        details.put("build jobs with blocked egress", summary.buildingJobs() == 0 ? "no job compiles dependencies"
                : summary.filteredJobs() + " of " + summary.buildingJobs());
        if (!counts.isEmpty()) {
            details.put("IAM permissions", String.join("; ", counts.stream().map(CiAuditCommand::describe).toList()));
        }
        details.put("fail level", level.label());
        FindingsReport.Subject subject = new FindingsReport.Subject(repository.toString(), details);
        context.emitFindings(format, "ci-audit", subject, verdict, sarif, firstFile(pipelines));
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    /** {@code deploy-role: 1,234 actions (s3 168, ecr 60, …)}, and the names the action list does not know. */
    private static String describe(IamCheck.Count count) {
        return Printable.of(count.principal().name()) + ": " + String.format(java.util.Locale.ROOT, "%,d action%s",
                count.actions(), count.actions() == 1 ? "" : "s")
                + (count.byService().isEmpty() ? "" : " (" + String.join(", ", count.byService().entrySet().stream()
                .limit(5).map(e -> e.getKey() + " " + e.getValue()).toList()) + (count.byService().size() > 5
                ? ", …" : "") + ")") + (count.unknown().isEmpty() ? "" : ", " + count.unknown().size()
                + " not in the bundled action list (" + String.join(", ", count.unknown()) + ")");
    }

    private List<IamCheck.Count> iamCounts() {
        List<IamPolicies.Principal> principals = new ArrayList<>();
        for (Path file : iam) {
            Path resolved = context.env().workingDirectory().resolve(file);
            principals.addAll(IamPolicies.read(resolved, file.toString()));
        }
        if (!roles.isEmpty()) {
            for (String role : roles) {
                if (principals.stream().noneMatch(p -> p.name().equals(role))) {
                    throw new WardenException("--role " + role + ": no such role in " + iam);
                }
            }
            principals.removeIf(p -> !roles.contains(p.name()));
        }
        return principals.isEmpty() ? List.of() : IamCheck.count(principals, ActionCatalog.bundled());
    }

    private static String firstFile(Pipelines pipelines) {
        return pipelines.files().keySet().stream().findFirst().orElse(".github/workflows");
    }
}
