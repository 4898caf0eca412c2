package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Static secrets against short-lived credentials: cloud keys stored as secrets where the cloud offers OIDC, long-lived
 * tokens that have a short-lived replacement, and credentials that live longer than {@code [ci] max-credential-ttl}.
 */
final class CredentialCheck implements PipelineCheck {

    static final Rule STATIC_CLOUD_CREDENTIAL = new Rule("ci-static-cloud-credential", Stage.LIMIT, Severity.HIGH,
            "A job receives a stored cloud key where the cloud issues short-lived credentials through OIDC.");
    static final Rule LONG_LIVED_TOKEN = new Rule("ci-long-lived-token", Stage.LIMIT, Severity.MEDIUM,
            "A job receives a long-lived token that has a short-lived replacement.");
    static final Rule CREDENTIAL_TTL = new Rule("ci-credential-ttl", Stage.LIMIT, Severity.MEDIUM,
            "Credentials a job obtains live longer than [ci] max-credential-ttl.");
    static final List<Rule> RULES = List.of(STATIC_CLOUD_CREDENTIAL, LONG_LIVED_TOKEN, CREDENTIAL_TTL);

    @Override
    public List<Finding> run(PipelineContext context) {
        List<Finding> findings = new ArrayList<>();
        for (JobFacts facts : context.jobs()) {
            staticKeys(context, facts, findings);
            longLived(facts, findings);
            lifetimes(context, facts, findings);
        }
        return findings;
    }

    private static void staticKeys(PipelineContext context, JobFacts facts, List<Finding> findings) {
        Map<CloudCredentials.Provider, List<Evidence>> evidence = new EnumMap<>(CloudCredentials.Provider.class);
        Map<CloudCredentials.Provider, Set<String>> names = new EnumMap<>(CloudCredentials.Provider.class);
        Set<CloudCredentials.Provider> literal = java.util.EnumSet.noneOf(CloudCredentials.Provider.class);
        for (JobFacts.SecretUse use : facts.secrets()) {
            Optional<CloudCredentials.Provider> provider = provider(use);
            provider.ifPresent(p -> {
                evidence.computeIfAbsent(p, k -> new ArrayList<>()).add(PipelineContext.at(use.file(), use.line(),
                        use.variable() == null ? use.name() : use.variable() + ": " + use.name()));
                names.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(use.variable() == null ? use.name()
                        : use.variable());
            });
        }
        // A key written into the file itself, not even a secret (its value is never repeated here).
        Map<String, Value> written = new LinkedHashMap<>(facts.pipeline().env());
        written.putAll(facts.job().env());
        facts.job().steps().forEach(step -> written.putAll(step.env()));
        written.forEach((key, value) -> CloudCredentials.variable(key).ifPresent(p -> {
            String text = value.text().trim();
            if (!text.isEmpty() && !text.contains("${{") && !text.startsWith("$") && key.contains("SECRET")) {
                literal.add(p);
                evidence.computeIfAbsent(p, k -> new ArrayList<>()).add(PipelineContext.at(facts.job().file(),
                        value.line(), key + ": (a literal value, not shown)"));
                names.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(key);
            }
        }));
        for (JobFacts.Grant grant : facts.grants()) {
            if (!grant.oidc() && grant.provider() != null && !evidence.containsKey(grant.provider())) {
                evidence.put(grant.provider(), new ArrayList<>(List.of(PipelineContext.at(grant.file(), grant.line(),
                        grant.step().uses()))));
                names.put(grant.provider(), new LinkedHashSet<>(List.of(grant.step().action())));
            }
        }
        for (Map.Entry<CloudCredentials.Provider, List<Evidence>> entry : evidence.entrySet()) {
            CloudCredentials.Provider provider = entry.getKey();
            boolean inFile = literal.contains(provider);
            String already = context.jobs().stream().filter(other -> other.pipeline() == facts.pipeline()
                    && other.grants().stream().anyMatch(g -> g.oidc() && (g.provider() == provider
                    || g.provider() == null))).map(other -> other.job().id()).findFirst()
                    .map(id -> "; job '" + id + "' of this pipeline already does").orElse("");
            findings.add(PipelineContext.finding(STATIC_CLOUD_CREDENTIAL, inFile ? Severity.CRITICAL
                    : STATIC_CLOUD_CREDENTIAL.defaultSeverity(), facts, PipelineContext.job(facts) + " holds static "
                    + provider.label() + " credentials (" + String.join(", ", names.get(provider)) + ")"
                    + (inFile ? ", one written into the file itself," : "")
                    + " that stay valid until someone rotates them: any code the job runs can copy them; use "
                    + provider.oidc(facts.pipeline().kind()) + already, entry.getValue()));
        }
    }

    private static Optional<CloudCredentials.Provider> provider(JobFacts.SecretUse use) {
        if (use.variable() != null) {
            Optional<CloudCredentials.Provider> byVariable = CloudCredentials.variable(use.variable());
            if (byVariable.isPresent()) {
                return byVariable;
            }
            if (use.step() != null) {
                Optional<CloudCredentials.Provider> byInput = CloudCredentials.staticInput(use.step().action(),
                        use.variable());
                if (byInput.isPresent()) {
                    return byInput;
                }
            }
        }
        return CloudCredentials.secretName(use.name());
    }

    private static void longLived(JobFacts facts, List<Finding> findings) {
        Map<String, List<Evidence>> tokens = new LinkedHashMap<>();
        Map<String, String> instead = new LinkedHashMap<>();
        for (JobFacts.SecretUse use : facts.secrets()) {
            if (provider(use).isPresent()) {
                continue;
            }
            CloudCredentials.longLivedToken(use.name()).ifPresent(replacement -> {
                tokens.computeIfAbsent(use.name(), k -> new ArrayList<>()).add(PipelineContext.at(use.file(),
                        use.line(), use.variable() == null ? use.name() : use.variable() + ": " + use.name()));
                instead.put(use.name(), replacement);
            });
        }
        tokens.forEach((name, evidence) -> findings.add(PipelineContext.finding(LONG_LIVED_TOKEN,
                LONG_LIVED_TOKEN.defaultSeverity(), facts, PipelineContext.job(facts) + " uses the stored token "
                        + name + ", valid until revoked; use " + instead.get(name), evidence)));
    }

    private static void lifetimes(PipelineContext context, JobFacts facts, List<Finding> findings) {
        Duration limit = context.policy().maxCredentialTtl();
        for (JobFacts.Grant grant : facts.grants()) {
            if (grant.lifetime() == null || grant.lifetime().compareTo(limit) <= 0) {
                continue;
            }
            String source = grant.step() == null ? "the GitLab ID token" : grant.step().action();
            String how = grant.lifetimeLine() > 0 ? "" : grant.step() == null
                    ? " (the job's timeout)" : " (the action's default)";
            String fix = grant.step() == null ? "shorten the job's timeout"
                    : grant.step().action().startsWith("aws-") ? "set role-duration-seconds: 900"
                    : grant.step().action().startsWith("google-") ? "set access_token_lifetime: 900s"
                    : "request a shorter lifetime";
            List<Evidence> evidence = new ArrayList<>();
            if (grant.lifetimeLine() > 0) {
                evidence.add(PipelineContext.at(grant.file(), grant.lifetimeLine(), "lifetime"));
            }
            evidence.add(PipelineContext.at(grant.file(), grant.line(), source));
            findings.add(PipelineContext.finding(CREDENTIAL_TTL, CREDENTIAL_TTL.defaultSeverity(), facts,
                    PipelineContext.job(facts) + ": credentials from " + source + " live "
                            + PipelineAudit.duration(grant.lifetime()) + how + ", over the "
                            + PipelineAudit.duration(limit) + " limit ([ci] max-credential-ttl); " + fix, evidence));
        }
    }
}
