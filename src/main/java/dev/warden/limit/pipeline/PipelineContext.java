package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Rule;
import dev.warden.core.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CI definitions, the facts about each job, and the policy: built once, read by every pipeline check. */
record PipelineContext(Pipelines pipelines, List<JobFacts> jobs, PipelinePolicy policy) {

    static PipelineContext of(Pipelines pipelines, PipelinePolicy policy) {
        List<JobFacts> jobs = new ArrayList<>();
        for (Pipeline pipeline : pipelines.pipelines()) {
            for (Job job : pipeline.jobs()) {
                jobs.add(JobFacts.of(pipeline, job));
            }
        }
        return new PipelineContext(pipelines, jobs, policy);
    }

    /** A finding about a job: evidence deduplicated in order, the job and its file as attributes. */
    static Finding finding(Rule rule, Severity severity, JobFacts facts, String message, List<Evidence> evidence) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ci", facts.pipeline().kind().label());
        attributes.put("file", Printable.of(facts.job().file()));
        attributes.put("job", Printable.of(facts.job().id()));
        return new Finding(rule, severity, null, null, Printable.of(message), evidence.stream().distinct()
                .map(PipelineContext::printable).toList(), attributes);
    }

    private static Evidence printable(Evidence evidence) {
        return new Evidence(Printable.of(evidence.file()), evidence.line(), Printable.of(evidence.excerpt()));
    }

    static Evidence at(String file, int line, String excerpt) {
        return new Evidence(file, Math.max(0, line), excerpt);
    }

    /** How messages name a job: {@code job 'build' (ci.yml)}. */
    static String job(JobFacts facts) {
        String file = facts.job().file();
        return "job '" + facts.job().id() + "' (" + file.substring(file.lastIndexOf('/') + 1) + ")";
    }
}
