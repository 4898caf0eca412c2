package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GitHub Actions token permissions: workflows that leave them to the repository default, {@code write-all}, write
 * scopes in jobs that compile dependencies, and {@code pull_request_target}/{@code workflow_run} workflows that check
 * out the pull request's code (where it runs with the base repository's secrets and token).
 */
final class PermissionCheck implements PipelineCheck {

    static final Rule DEFAULT_PERMISSIONS = new Rule("ci-default-permissions", Stage.LIMIT, Severity.MEDIUM,
            "A workflow sets no permissions, so its token gets the repository default (often write to everything).");
    static final Rule WRITE_ALL = new Rule("ci-write-all-permissions", Stage.LIMIT, Severity.HIGH,
            "A workflow or job grants its token write access to every scope.");
    static final Rule WRITE_TOKEN_IN_BUILD = new Rule("ci-write-token-in-build", Stage.LIMIT, Severity.HIGH,
            "A job that compiles dependencies holds a token that can write to the repository or mint cloud credentials.");
    static final Rule UNTRUSTED_CHECKOUT = new Rule("ci-untrusted-checkout", Stage.LIMIT, Severity.CRITICAL,
            "A pull_request_target or workflow_run workflow checks out and runs the pull request's code.");
    static final List<Rule> RULES = List.of(DEFAULT_PERMISSIONS, WRITE_ALL, WRITE_TOKEN_IN_BUILD, UNTRUSTED_CHECKOUT);

    /** Scopes whose write access lets a build script change code, releases or packages, or get cloud credentials. */
    static final List<String> DANGEROUS_SCOPES = List.of("contents", "id-token", "packages", "actions", "deployments",
            "pages", "attestations", "workflows");
    private static final Set<String> PRIVILEGED_EVENTS = Set.of("pull_request_target", "workflow_run");

    @Override
    public List<Finding> run(PipelineContext context) {
        List<Finding> findings = new ArrayList<>();
        for (Pipeline pipeline : context.pipelines().pipelines()) {
            if (pipeline.kind() != Pipeline.Kind.GITHUB_ACTIONS) {
                continue;
            }
            List<JobFacts> jobs = context.jobs().stream().filter(f -> f.pipeline() == pipeline).toList();
            defaults(pipeline, jobs, findings);
            if (pipeline.permissions() != null && pipeline.permissions().writeAll() && !jobs.isEmpty()) {
                findings.add(PipelineContext.finding(WRITE_ALL, WRITE_ALL.defaultSeverity(), jobs.getFirst(),
                        "workflow " + name(pipeline) + " grants permissions: write-all to every job that does not "
                                + "set its own; grant each job only the scopes it uses",
                        List.of(PipelineContext.at(pipeline.file(), pipeline.permissions().line(), "write-all"))));
            }
            for (JobFacts facts : jobs) {
                if (facts.job().permissions() != null && facts.job().permissions().writeAll()) {
                    findings.add(PipelineContext.finding(WRITE_ALL, WRITE_ALL.defaultSeverity(), facts,
                            PipelineContext.job(facts) + " grants permissions: write-all; grant only the scopes "
                                    + "it uses", List.of(PipelineContext.at(facts.job().file(),
                                    facts.job().permissions().line(), "write-all"))));
                }
                writesInBuild(facts, findings);
                untrustedCheckout(facts, findings);
            }
        }
        return findings;
    }

    private static void defaults(Pipeline pipeline, List<JobFacts> jobs, List<Finding> findings) {
        if (pipeline.permissions() != null) {
            return;
        }
        List<JobFacts> inheriting = jobs.stream().filter(f -> f.job().permissions() == null
                && f.job().calls() == null).toList();
        if (inheriting.isEmpty()) {
            return;
        }
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(PipelineContext.at(pipeline.file(), pipeline.line(), "no top-level permissions:"));
        inheriting.forEach(f -> evidence.add(PipelineContext.at(f.job().file(), f.job().line(), "job " + f.job().id())));
        findings.add(PipelineContext.finding(DEFAULT_PERMISSIONS, DEFAULT_PERMISSIONS.defaultSeverity(),
                inheriting.getFirst(), "workflow " + name(pipeline) + " sets no permissions: and "
                        + (inheriting.size() == 1 ? "job '" + inheriting.getFirst().job().id() + "' sets"
                        : inheriting.size() + " jobs set") + " none, so their GITHUB_TOKEN gets the repository "
                        + "default (write to every scope in older repositories and many organisations); add "
                        + "permissions: contents: read at the top", evidence));
    }

    private static void writesInBuild(JobFacts facts, List<Finding> findings) {
        List<CargoCall> builds = facts.exposedBuilds();
        if (builds.isEmpty() || facts.permissions() == null) {
            return;
        }
        List<String> writes = facts.permissions().writes(DANGEROUS_SCOPES);
        if (writes.isEmpty()) {
            return;
        }
        boolean mints = writes.contains("id-token");
        Severity severity = facts.untrusted() || mints ? Severity.HIGH : Severity.MEDIUM;
        CargoCall first = builds.getFirst();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(PipelineContext.at(first.step().file(), first.line(), first.text()));
        for (String scope : writes) {
            evidence.add(PipelineContext.at(facts.job().permissions() != null ? facts.job().file()
                    : facts.pipeline().file(), facts.permissions().lineOf(scope), scope + ": write"));
        }
        String who = facts.untrusted() ? "on pull requests, " : "";
        findings.add(PipelineContext.finding(WRITE_TOKEN_IN_BUILD, severity, facts, PipelineContext.job(facts)
                + " runs `cargo " + first.subcommand() + "` " + who + "so every dependency's build script and proc "
                + "macro runs with a token holding " + String.join(", ", writes.stream().map(s -> s + ": write")
                        .toList()) + (mints ? " (id-token: write mints cloud credentials)" : "")
                + "; build in a job with contents: read and move the writes to a job that only publishes, or run "
                + "the build with `warden build`", evidence));
    }

    private static void untrustedCheckout(JobFacts facts, List<Finding> findings) {
        String event = facts.pipeline().events().keySet().stream().filter(PRIVILEGED_EVENTS::contains).sorted()
                .findFirst().orElse(null);
        if (event == null) {
            return;
        }
        List<Step> steps = facts.job().steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String ref = step.input("ref");
            if (!"actions/checkout".equals(step.action()) || ref == null || !headOfPullRequest(ref)) {
                continue;
            }
            Step runs = steps.subList(i + 1, steps.size()).stream()
                    .filter(s -> s.run() != null || s.uses() != null && s.uses().startsWith("./")).findFirst()
                    .orElse(null);
            List<Evidence> evidence = new ArrayList<>();
            evidence.add(PipelineContext.at(facts.pipeline().file(), facts.pipeline().events().get(event), event));
            evidence.add(PipelineContext.at(step.file(), step.with().get("ref").line(), "ref: " + ref));
            if (runs != null) {
                evidence.add(PipelineContext.at(runs.file(), runs.run() != null ? runs.runLine() : runs.line(),
                        runs.label()));
            }
            findings.add(PipelineContext.finding(UNTRUSTED_CHECKOUT, runs == null ? Severity.HIGH : Severity.CRITICAL,
                    facts, PipelineContext.job(facts) + " is started by " + event + ", which runs with the base "
                            + "repository's secrets and a write token, and checks out the pull request's own code"
                            + (runs == null ? "" : " and then runs it (" + runs.label() + ")")
                            + "; use pull_request for anything that builds or runs the change", evidence));
        }
    }

    private static boolean headOfPullRequest(String ref) {
        String lower = ref.toLowerCase(Locale.ROOT).replace(" ", "");
        return lower.contains("pull_request.head") || lower.contains("github.head_ref") || lower.contains("refs/pull/")
                || lower.contains("workflow_run.head") || lower.contains("event.number");
    }

    private static String name(Pipeline pipeline) {
        return pipeline.file().substring(pipeline.file().lastIndexOf('/') + 1);
    }
}
