package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Egress filtering: a job that compiles dependencies should run where only the registries are reachable — behind
 * step-security/harden-runner with {@code egress-policy: block}, in a container without a network, or through
 * {@code warden build}. GitLab pipelines cannot declare such a filter; there it belongs on the runner.
 */
final class EgressCheck implements PipelineCheck {

    static final Rule NO_EGRESS_FILTER = new Rule("ci-no-egress-filter", Stage.LIMIT, Severity.MEDIUM,
            "A job compiles dependencies with unrestricted network egress.");
    static final Rule EGRESS_AUDIT_ONLY = new Rule("ci-egress-audit-only", Stage.LIMIT, Severity.LOW,
            "A job's egress filter only records connections and blocks none.");
    static final List<Rule> RULES = List.of(NO_EGRESS_FILTER, EGRESS_AUDIT_ONLY);

    static final String HARDEN_RUNNER = "step-security/harden-runner";

    /** How a job's network is limited, judged once for the check and the metric. */
    enum Filter {
        BLOCKING, AUDIT_ONLY, NONE
    }

    static Filter filter(JobFacts facts) {
        Job.Container container = facts.job().container();
        if (container != null && container.options() != null
                && container.options().text().replace("=", " ").matches("(?s).*--net(work)?\\s+none\\b.*")) {
            return Filter.BLOCKING;
        }
        int firstBuild = facts.exposedBuilds().stream().mapToInt(c -> facts.job().steps().indexOf(c.step()))
                .min().orElse(Integer.MAX_VALUE);
        Filter found = Filter.NONE;
        for (int i = 0; i < facts.job().steps().size() && i < firstBuild; i++) {
            Step step = facts.job().steps().get(i);
            if (HARDEN_RUNNER.equals(step.action())) {
                String policy = step.input("egress-policy");
                found = policy != null && policy.trim().toLowerCase(Locale.ROOT).equals("block") ? Filter.BLOCKING
                        : Filter.AUDIT_ONLY;
            }
        }
        return found;
    }

    @Override
    public List<Finding> run(PipelineContext context) {
        List<Finding> findings = new ArrayList<>();
        for (Pipeline pipeline : context.pipelines().pipelines()) {
            List<JobFacts> building = context.jobs().stream().filter(f -> f.pipeline() == pipeline
                    && !f.exposedBuilds().isEmpty()).toList();
            if (building.isEmpty()) {
                continue;
            }
            if (pipeline.kind() == Pipeline.Kind.GITLAB_CI) {
                List<Evidence> evidence = building.stream().map(f -> PipelineContext.at(f.job().file(),
                        f.job().line(), "job " + f.job().id())).toList();
                findings.add(PipelineContext.finding(NO_EGRESS_FILTER, Severity.LOW, building.getFirst(),
                        building.size() + " GitLab job" + (building.size() == 1 ? "" : "s") + " compile dependencies "
                                + "and a .gitlab-ci.yml cannot limit where they connect: filter egress on the runner "
                                + "(warden egress-policy writes the rules) or build with `warden build`", evidence));
                continue;
            }
            for (JobFacts facts : building) {
                CargoCall build = facts.exposedBuilds().getFirst();
                Evidence at = PipelineContext.at(build.step().file(), build.line(), build.text());
                switch (filter(facts)) {
                    case NONE -> findings.add(PipelineContext.finding(NO_EGRESS_FILTER,
                            NO_EGRESS_FILTER.defaultSeverity(), facts, PipelineContext.job(facts) + " runs `cargo "
                                    + build.subcommand() + "` with the network open, so a build script can send "
                                    + "what it finds anywhere; start the job with " + HARDEN_RUNNER
                                    + " (egress-policy: block, allowed-endpoints from `warden egress-policy`) or "
                                    + "build with `warden build`", List.of(at)));
                    case AUDIT_ONLY -> {
                        Step runner = facts.job().steps().stream().filter(s -> HARDEN_RUNNER.equals(s.action()))
                                .findFirst().orElseThrow();
                        findings.add(PipelineContext.finding(EGRESS_AUDIT_ONLY, EGRESS_AUDIT_ONLY.defaultSeverity(),
                                facts, PipelineContext.job(facts) + " runs " + HARDEN_RUNNER + " in audit mode: "
                                        + "connections are recorded, none is blocked; set egress-policy: block",
                                List.of(PipelineContext.at(runner.file(), runner.with().containsKey("egress-policy")
                                        ? runner.with().get("egress-policy").line() : runner.line(),
                                        "egress-policy"), at)));
                    }
                    case BLOCKING -> {
                    }
                }
            }
        }
        return findings;
    }
}
