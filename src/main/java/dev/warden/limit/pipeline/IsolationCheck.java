package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage isolation: compiling dependencies runs their build scripts and proc macros, so a step that does it must not
 * see deploy secrets, cloud credentials, or a token left in {@code .git/config} by {@code actions/checkout}.
 * {@code warden build} is the fix these findings name: it runs the same command without secrets or network.
 */
final class IsolationCheck implements PipelineCheck {

    static final Rule BUILD_WITH_SECRETS = new Rule("ci-build-with-secrets", Stage.LIMIT, Severity.HIGH,
            "A step compiles dependencies where secrets or cloud credentials are in its environment.");
    static final Rule FETCH_WITH_SECRETS = new Rule("ci-fetch-with-secrets", Stage.LIMIT, Severity.MEDIUM,
            "cargo fetch runs in a job that holds secrets.");
    static final Rule CHECKOUT_PERSISTS_CREDENTIALS = new Rule("ci-checkout-persists-credentials", Stage.LIMIT,
            Severity.MEDIUM, "actions/checkout leaves the job's token in .git/config before dependencies are compiled.");
    static final List<Rule> RULES = List.of(BUILD_WITH_SECRETS, FETCH_WITH_SECRETS, CHECKOUT_PERSISTS_CREDENTIALS);

    @Override
    public List<Finding> run(PipelineContext context) {
        List<Finding> findings = new ArrayList<>();
        for (JobFacts facts : context.jobs()) {
            Map<Step, List<CargoCall>> byStep = new LinkedHashMap<>();
            for (CargoCall call : facts.calls()) {
                if (!call.sandboxed() && (call.builds() || call.subcommand().equals("fetch"))) {
                    byStep.computeIfAbsent(call.step(), k -> new ArrayList<>()).add(call);
                }
            }
            byStep.forEach((step, calls) -> secrets(facts, step, calls, findings));
            persistedToken(facts, findings);
        }
        return findings;
    }

    private static void secrets(JobFacts facts, Step step, List<CargoCall> calls, List<Finding> findings) {
        Set<String> names = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        boolean onlyJobToken = true;
        for (JobFacts.SecretUse use : facts.visibleTo(step)) {
            names.add(use.name());
            onlyJobToken &= use.name().equals("GITHUB_TOKEN");
            evidence.add(PipelineContext.at(use.file(), use.line(), (use.variable() == null ? "" : use.variable()
                    + ": ") + use.name()));
        }
        for (JobFacts.Grant grant : facts.grantsBefore(step)) {
            names.add(grant.provider().label() + " credentials from " + grant.step().action());
            onlyJobToken = false;
            evidence.add(PipelineContext.at(grant.file(), grant.line(), grant.step().uses()));
        }
        if (names.isEmpty()) {
            return;
        }
        CargoCall build = calls.stream().filter(CargoCall::builds).findFirst().orElse(null);
        CargoCall shown = build != null ? build : calls.getFirst();
        evidence.addFirst(PipelineContext.at(step.file(), shown.line(), shown.text()));
        String secrets = String.join(", ", names);
        if (build == null) {
            findings.add(PipelineContext.finding(FETCH_WITH_SECRETS, FETCH_WITH_SECRETS.defaultSeverity(), facts,
                    PipelineContext.job(facts) + " runs `cargo fetch` in " + step.label() + " where " + secrets
                            + " " + (names.size() == 1 ? "is" : "are") + " in the environment; fetch in a job of "
                            + "its own with no secrets (warden fetch), then build from the fetched sources",
                    evidence));
            return;
        }
        findings.add(PipelineContext.finding(BUILD_WITH_SECRETS, onlyJobToken ? Severity.MEDIUM
                : BUILD_WITH_SECRETS.defaultSeverity(), facts, PipelineContext.job(facts) + " runs `cargo "
                + build.subcommand() + "` in " + step.label() + " where " + secrets + " "
                + (names.size() == 1 ? "is" : "are") + " in the environment, so every dependency's build script "
                + "can read " + (names.size() == 1 ? "it" : "them") + "; " + (build.subcommand().equals("publish")
                ? "verify the package in a job without the secret and publish with --no-verify"
                : "build with `warden build -- " + build.text() + "` (no secrets, no network) or move the secrets "
                + "to a later job"), evidence));
    }

    private static void persistedToken(JobFacts facts, List<Finding> findings) {
        if (facts.pipeline().kind() != Pipeline.Kind.GITHUB_ACTIONS) {
            return;
        }
        List<CargoCall> builds = facts.exposedBuilds();
        for (Step step : facts.job().steps()) {
            if (!"actions/checkout".equals(step.action()) || "false".equals(step.input("persist-credentials"))) {
                continue;
            }
            int at = facts.job().steps().indexOf(step);
            CargoCall after = builds.stream().filter(c -> facts.job().steps().indexOf(c.step()) > at).findFirst()
                    .orElse(null);
            if (after == null) {
                continue;
            }
            findings.add(PipelineContext.finding(CHECKOUT_PERSISTS_CREDENTIALS,
                    CHECKOUT_PERSISTS_CREDENTIALS.defaultSeverity(), facts, PipelineContext.job(facts) + " checks "
                            + "out with " + step.uses() + " without persist-credentials: false, so the job's token "
                            + "stays in .git/config where the build scripts `cargo " + after.subcommand()
                            + "` runs can read it",
                    List.of(PipelineContext.at(step.file(), step.line(), step.uses()),
                            PipelineContext.at(after.step().file(), after.line(), after.text()))));
        }
    }
}
