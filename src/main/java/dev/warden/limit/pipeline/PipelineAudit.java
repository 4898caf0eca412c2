package dev.warden.limit.pipeline;

import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code warden ci-audit}: the Limit stage applied to the pipeline itself. Reads the facts about every job once and
 * runs each pipeline check on them; parts of the definition that are not in the repository are reported as unread
 * (what was not looked at is never passed).
 */
public final class PipelineAudit {

    static final Rule DEFINITION_UNREAD = new Rule("ci-definition-unread", Stage.LIMIT, Severity.MEDIUM,
            "Part of the CI definition lives outside the repository and was not audited.");

    /** Every rule of the pipeline checks, for the rule catalogue and SARIF metadata. */
    public static final List<Rule> RULES = Stream.of(CredentialCheck.RULES, PermissionCheck.RULES,
            IsolationCheck.RULES, LockedCheck.RULES, EgressCheck.RULES, List.of(DEFINITION_UNREAD))
            .flatMap(List::stream).toList();

    private static final List<PipelineCheck> CHECKS = List.of(new CredentialCheck(), new PermissionCheck(),
            new IsolationCheck(), new LockedCheck(), new EgressCheck());

    /**
     * The figures the framework asks about the pipeline, measured while auditing.
     *
     * @param cargoCalls        cargo calls that build or resolve dependencies
     * @param lockedCalls       of those, run with --locked or --frozen
     * @param staticCredentials static cloud keys and long-lived tokens, counted per job
     * @param longestTtl        the longest lifetime of the short-lived credentials jobs obtain, or null for none
     * @param buildingJobs      jobs that compile dependencies outside Warden's sandbox
     * @param filteredJobs      of those, jobs whose egress is blocked except for what is allowed
     */
    public record Summary(int pipelines, int jobs, int cargoCalls, int lockedCalls, int staticCredentials,
                          Duration longestTtl, int buildingJobs, int filteredJobs) {

        /** The share of cargo calls that are locked, or null when there is none. */
        public Double lockedShare() {
            return cargoCalls == 0 ? null : (double) lockedCalls / cargoCalls;
        }

        public Double filteredShare() {
            return buildingJobs == 0 ? null : (double) filteredJobs / buildingJobs;
        }
    }

    public record Result(Pipelines pipelines, List<Finding> findings, Summary summary) {
        public Result {
            findings = List.copyOf(findings);
        }
    }

    private PipelineAudit() {
    }

    public static Result run(Pipelines pipelines, PipelinePolicy policy) {
        PipelineContext context = PipelineContext.of(pipelines, policy);
        List<Finding> findings = new ArrayList<>();
        for (PipelineCheck check : CHECKS) {
            findings.addAll(check.run(context));
        }
        for (Pipelines.Unread unread : pipelines.unread()) {
            findings.add(new Finding(DEFINITION_UNREAD, DEFINITION_UNREAD.defaultSeverity(), null, null,
                    Printable.of(unread.what()) + ": the jobs it defines were not audited",
                    List.of(PipelineContext.at(unread.file(), unread.line(), null)), Map.of("file", unread.file())));
        }
        return new Result(pipelines, findings, summary(context, findings));
    }

    private static Summary summary(PipelineContext context, List<Finding> findings) {
        int calls = 0;
        int locked = 0;
        int building = 0;
        int filtered = 0;
        Duration longest = null;
        for (JobFacts facts : context.jobs()) {
            for (CargoCall call : facts.calls()) {
                if (call.resolves()) {
                    calls++;
                    locked += call.locked() ? 1 : 0;
                }
            }
            if (!facts.exposedBuilds().isEmpty()) {
                building++;
                filtered += facts.pipeline().kind() == Pipeline.Kind.GITHUB_ACTIONS
                        && EgressCheck.filter(facts) == EgressCheck.Filter.BLOCKING ? 1 : 0;
            }
            for (JobFacts.Grant grant : facts.grants()) {
                if (grant.lifetime() != null && (longest == null || grant.lifetime().compareTo(longest) > 0)) {
                    longest = grant.lifetime();
                }
            }
        }
        int statics = (int) findings.stream().filter(f -> f.rule() == CredentialCheck.STATIC_CLOUD_CREDENTIAL
                || f.rule() == CredentialCheck.LONG_LIVED_TOKEN).count();
        return new Summary(context.pipelines().pipelines().size(), context.jobs().size(), calls, locked, statics,
                longest, building, filtered);
    }

    /** {@code 15 min}, {@code 1 h}, {@code 6 h}, {@code 1 h 30 min}. */
    public static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 60) {
            return minutes == 0 ? duration.toSeconds() + " s" : minutes + " min";
        }
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
}
