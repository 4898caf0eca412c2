package dev.warden.limit.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every pipeline check needs to know about one job, worked out once: its cargo calls, the secrets it names and
 * where, the steps that put cloud credentials into its environment, whether untrusted changes start it, and the
 * token permissions it really gets.
 *
 * @param permissions the job's own {@code permissions:}, else the workflow's, else null (the repository default)
 */
public record JobFacts(Pipeline pipeline, Job job, List<CargoCall> calls, List<SecretUse> secrets,
                       List<Grant> grants, boolean untrusted, Permissions permissions) {

    /** Events whose runs execute code from a pull request or another untrusted change. */
    static final Set<String> UNTRUSTED_EVENTS = Set.of("pull_request", "pull_request_target", "issue_comment",
            "workflow_run", "pull_request_review", "pull_request_review_comment", "merge_group", "merge_request");

    /**
     * A secret (or, in GitLab, a CI/CD variable) the job names.
     *
     * @param name     the secret's name
     * @param variable the variable or input it is passed as, or null (written inline in a script)
     * @param step     the step it is given to, or null when the workflow's or job's env gives it to every step
     * @param exported whether a script writes it to {@code $GITHUB_ENV}, so every later step sees it
     */
    public record SecretUse(String name, String variable, Step step, String file, int line, boolean exported) {
    }

    /**
     * A step that puts cloud credentials into the job's environment for the steps after it.
     *
     * @param oidc     exchanged from the job's OIDC token (short-lived) rather than a stored key
     * @param lifetime how long they live (null: a static key, unbounded)
     * @param step     the step that makes it, or null for a GitLab {@code id_tokens} entry
     * @param provider the cloud, or null when only the token's audience knows (GitLab)
     * @param line     where it is made: the step, or the {@code id_tokens} entry
     * @param lifetimeLine where the lifetime is written, or 0 when it is the default
     */
    public record Grant(Step step, CloudCredentials.Provider provider, boolean oidc, Duration lifetime,
                        String file, int line, int lifetimeLine) {
    }

    static JobFacts of(Pipeline pipeline, Job job) {
        List<CargoCall> calls = new ArrayList<>();
        for (Step step : job.steps()) {
            calls.addAll(ShellScript.cargoCalls(step));
        }
        List<SecretUse> secrets = pipeline.kind() == Pipeline.Kind.GITHUB_ACTIONS ? githubSecrets(pipeline, job)
                : gitlabSecrets(job);
        boolean untrusted = pipeline.events().keySet().stream().anyMatch(UNTRUSTED_EVENTS::contains);
        Permissions permissions = job.permissions() != null ? job.permissions() : pipeline.permissions();
        return new JobFacts(pipeline, job, calls, secrets, grants(job), untrusted, permissions);
    }

    /** Cargo calls that compile third-party code outside Warden's sandbox. */
    public List<CargoCall> exposedBuilds() {
        return calls.stream().filter(c -> c.builds() && !c.sandboxed()).toList();
    }

    /** The secrets the code run by {@code step} can read from its environment. */
    public List<SecretUse> visibleTo(Step step) {
        int index = job.steps().indexOf(step);
        List<SecretUse> visible = new ArrayList<>();
        for (SecretUse use : secrets) {
            boolean everyStep = use.step() == null && use.variable() != null;
            boolean own = use.step() == step && use.variable() != null && step.env().containsKey(use.variable());
            boolean exportedEarlier = use.exported() && use.step() != null && job.steps().indexOf(use.step()) < index;
            boolean gitlabJob = pipeline.kind() == Pipeline.Kind.GITLAB_CI && use.step() == null;
            if (everyStep || own || exportedEarlier || gitlabJob) {
                visible.add(use);
            }
        }
        return visible;
    }

    /** Credential grants made before {@code step}, whose variables it inherits. */
    public List<Grant> grantsBefore(Step step) {
        int index = job.steps().indexOf(step);
        return grants.stream().filter(g -> g.step() != null && job.steps().indexOf(g.step()) < index).toList();
    }

    private static List<SecretUse> githubSecrets(Pipeline pipeline, Job job) {
        List<SecretUse> uses = new ArrayList<>();
        values(pipeline.env(), null, pipeline.file(), uses);
        values(job.env(), null, job.file(), uses);
        for (Step step : job.steps()) {
            values(step.env(), step, step.file(), uses);
            values(step.with(), step, step.file(), uses);
            if (step.run() != null) {
                boolean exports = step.run().contains("GITHUB_ENV");
                String[] lines = step.run().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    int line = step.lineOf(i);
                    for (String name : CloudCredentials.githubSecrets(lines[i])) {
                        uses.add(new SecretUse(name, null, step, step.file(), line,
                                exports && lines[i].contains("GITHUB_ENV")));
                    }
                }
            }
        }
        return uses;
    }

    private static void values(Map<String, Value> values, Step step, String file, List<SecretUse> into) {
        values.forEach((key, value) -> {
            for (String name : CloudCredentials.githubSecrets(value.text())) {
                into.add(new SecretUse(name, key, step, file, value.line(), false));
            }
        });
    }

    /**
     * GitLab keeps secrets in CI/CD variables that every job receives; the YAML shows them only where it names
     * them. Cloud-credential variables named in a job's variables or scripts, and {@code secrets:} entries, count.
     */
    private static List<SecretUse> gitlabSecrets(Job job) {
        List<SecretUse> uses = new ArrayList<>();
        job.env().forEach((key, value) -> {
            if (CloudCredentials.variable(key).isPresent()) {
                uses.add(new SecretUse(key, key, null, job.file(), value.line(), false));
            } else {
                for (String name : CloudCredentials.shellVariables(value.text())) {
                    if (CloudCredentials.secretName(name).isPresent()) {
                        uses.add(new SecretUse(name, key, null, job.file(), value.line(), false));
                    }
                }
            }
        });
        for (Value secret : job.secrets()) {
            uses.add(new SecretUse(secret.text(), secret.text(), null, job.file(), secret.line(), false));
        }
        Set<String> seen = new LinkedHashSet<>();
        uses.forEach(u -> seen.add(u.name()));
        for (Step step : job.steps()) {
            String[] lines = step.run().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String name : CloudCredentials.shellVariables(lines[i])) {
                    if (CloudCredentials.secretName(name).isPresent() && seen.add(name)) {
                        int line = step.lineOf(i);
                        uses.add(new SecretUse(name, null, null, step.file(), line, false));
                    }
                }
            }
        }
        return uses;
    }

    private static List<Grant> grants(Job job) {
        List<Grant> grants = new ArrayList<>();
        for (Step step : job.steps()) {
            String action = step.action();
            Duration byDefault = CloudCredentials.defaultLifetime(action, step);
            if (byDefault == null) {
                continue;
            }
            CloudCredentials.Provider provider = switch (action) {
                case "aws-actions/configure-aws-credentials" -> CloudCredentials.Provider.AWS;
                case "google-github-actions/auth" -> CloudCredentials.Provider.GOOGLE_CLOUD;
                default -> CloudCredentials.Provider.AZURE;
            };
            boolean staticKey = step.with().keySet().stream()
                    .anyMatch(input -> CloudCredentials.staticInput(action, input).isPresent());
            boolean assumesRole = step.input("role-to-assume") != null || step.input("workload_identity_provider") != null
                    || action.equals("azure/login") && step.input("client-id") != null;
            if (staticKey && !assumesRole) {
                grants.add(new Grant(step, provider, false, null, step.file(), step.line(), 0));
                continue;
            }
            Optional<Value> written = CloudCredentials.lifetimeValue(step);
            // Written in a form nobody documents: the action falls back to its default, and so does the judgement.
            Duration lifetime = written.map(v -> CloudCredentials.seconds(v.text().trim())).orElse(byDefault);
            int line = written.map(Value::line).orElse(0);
            grants.add(new Grant(step, provider, !staticKey, lifetime, step.file(), step.line(), line));
        }
        for (Value token : job.idTokens().values()) {
            Duration lifetime = job.timeout() == null ? Duration.ofHours(1)
                    : Optional.ofNullable(CloudCredentials.seconds(job.timeout().text()))
                            .orElse(Duration.ofHours(1));
            // GitLab: an ID token expires with the job's timeout (the project's, 1 h by default, when not set).
            grants.add(new Grant(null, null, true, lifetime, job.file(), token.line(),
                    job.timeout() == null ? 0 : job.timeout().line()));
        }
        return grants;
    }
}
