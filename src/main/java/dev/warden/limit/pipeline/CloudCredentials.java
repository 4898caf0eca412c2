package dev.warden.limit.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Warden knows about cloud credentials in CI: the variables and action inputs that carry static keys, the
 * actions that exchange the job's OIDC token for short-lived ones, and how long those live by default.
 */
final class CloudCredentials {

    /** A cloud whose credentials a job can hold, and how to get them without a stored secret. */
    enum Provider {
        AWS("AWS", "aws-actions/configure-aws-credentials with role-to-assume (and permissions: id-token: write)",
                "id_tokens with `aws sts assume-role-with-web-identity`"),
        GOOGLE_CLOUD("Google Cloud", "google-github-actions/auth with workload_identity_provider (and permissions: "
                + "id-token: write)", "id_tokens with workload identity federation"),
        AZURE("Azure", "azure/login with client-id, tenant-id and subscription-id (federated credentials, "
                + "permissions: id-token: write)", "id_tokens with `az login --federated-token`");

        private final String label;
        private final String githubOidc;
        private final String gitlabOidc;

        Provider(String label, String githubOidc, String gitlabOidc) {
            this.label = label;
            this.githubOidc = githubOidc;
            this.gitlabOidc = gitlabOidc;
        }

        String label() {
            return label;
        }

        String oidc(Pipeline.Kind kind) {
            return kind == Pipeline.Kind.GITLAB_CI ? gitlabOidc : githubOidc;
        }
    }

    private static final Map<String, Provider> VARIABLES = Map.ofEntries(
            Map.entry("AWS_ACCESS_KEY_ID", Provider.AWS), Map.entry("AWS_SECRET_ACCESS_KEY", Provider.AWS),
            Map.entry("GOOGLE_APPLICATION_CREDENTIALS", Provider.GOOGLE_CLOUD),
            Map.entry("GOOGLE_CREDENTIALS", Provider.GOOGLE_CLOUD),
            Map.entry("GOOGLE_CLOUD_KEYFILE_JSON", Provider.GOOGLE_CLOUD),
            Map.entry("GCP_SA_KEY", Provider.GOOGLE_CLOUD), Map.entry("GCLOUD_SERVICE_KEY", Provider.GOOGLE_CLOUD),
            Map.entry("GCP_CREDENTIALS", Provider.GOOGLE_CLOUD),
            Map.entry("AZURE_CLIENT_SECRET", Provider.AZURE), Map.entry("ARM_CLIENT_SECRET", Provider.AZURE),
            Map.entry("AZURE_CREDENTIALS", Provider.AZURE));

    /** Action inputs that take a static key, by action. */
    private static final Map<String, Map<String, Provider>> STATIC_INPUTS = Map.of(
            "aws-actions/configure-aws-credentials", Map.of("aws-access-key-id", Provider.AWS,
                    "aws-secret-access-key", Provider.AWS),
            "google-github-actions/auth", Map.of("credentials_json", Provider.GOOGLE_CLOUD),
            "google-github-actions/setup-gcloud", Map.of("service_account_key", Provider.GOOGLE_CLOUD),
            "azure/login", Map.of("creds", Provider.AZURE));

    private static final Pattern GITHUB_SECRET = Pattern.compile(
            "secrets\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_-]*)|\\[\\s*['\"]([^'\"]+)['\"]\\s*])");
    private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern PERSONAL_TOKEN = Pattern.compile(
            "(^|_)(PAT|PERSONAL_ACCESS_TOKEN|GH_TOKEN|GITHUB_PAT)($|_)|^.+_GITHUB_TOKEN$|^GH_.*TOKEN$");
    private static final Set<String> REGISTRY_TOKENS = Set.of("CARGO_REGISTRY_TOKEN", "CRATES_IO_TOKEN",
            "CARGO_TOKEN", "CRATESIO_TOKEN");

    private CloudCredentials() {
    }

    static Optional<Provider> variable(String name) {
        return Optional.ofNullable(VARIABLES.get(name.toUpperCase(Locale.ROOT)));
    }

    /** The provider a secret's own name says it belongs to ({@code AWS_SECRET_ACCESS_KEY_PROD}, {@code GCP_SA_KEY}). */
    static Optional<Provider> secretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.contains("AWS_SECRET") || upper.contains("AWS_ACCESS_KEY")) {
            return Optional.of(Provider.AWS);
        }
        if (upper.contains("GCP_SA_KEY") || upper.contains("GCLOUD_SERVICE_KEY") || upper.contains("GOOGLE_CREDENTIALS")
                || upper.contains("GOOGLE_APPLICATION_CREDENTIALS")) {
            return Optional.of(Provider.GOOGLE_CLOUD);
        }
        if (upper.contains("AZURE_CREDENTIALS") || upper.contains("AZURE_CLIENT_SECRET")
                || upper.contains("ARM_CLIENT_SECRET")) {
            return Optional.of(Provider.AZURE);
        }
        return variable(upper);
    }

    static Optional<Provider> staticInput(String action, String input) {
        Map<String, Provider> inputs = action == null ? null : STATIC_INPUTS.get(action);
        return inputs == null ? Optional.empty() : Optional.ofNullable(inputs.get(input));
    }

    /** A long-lived token that has a short-lived replacement, with that replacement; empty otherwise. */
    static Optional<String> longLivedToken(String secret) {
        String upper = secret.toUpperCase(Locale.ROOT);
        if (REGISTRY_TOKENS.contains(upper)) {
            return Optional.of("crates.io trusted publishing (rust-lang/crates-io-auth-action, a token that expires "
                    + "in 30 minutes)");
        }
        if (!upper.equals("GITHUB_TOKEN") && PERSONAL_TOKEN.matcher(upper).find()) {
            return Optional.of("the job's GITHUB_TOKEN with the permissions it needs, or a GitHub App token "
                    + "(actions/create-github-app-token, expires in 1 h)");
        }
        return Optional.empty();
    }

    /** The secrets a GitHub expression or value names. */
    static Set<String> githubSecrets(String text) {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (text == null || !text.contains("secrets")) {
            return names;
        }
        Matcher matcher = GITHUB_SECRET.matcher(text);
        while (matcher.find()) {
            int start = text.lastIndexOf("${{", matcher.start());
            if (start >= 0 && text.indexOf("}}", start) > matcher.start()) {
                names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
            }
        }
        return names;
    }

    /** Shell variables a GitLab script or value refers to ({@code $NAME}, {@code ${NAME}}). */
    static Set<String> shellVariables(String text) {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (text == null) {
            return names;
        }
        Matcher matcher = SHELL_VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** How long credentials an action issues live when nothing says otherwise, or null when it issues none. */
    static Duration defaultLifetime(String action, Step step) {
        if (action == null) {
            return null;
        }
        return switch (action) {
            // The action's documented defaults: 1 h when the role is assumed with the OIDC token (or a session
            // token), 6 h when an IAM user's keys assume it.
            case "aws-actions/configure-aws-credentials" -> step.input("aws-access-key-id") != null
                    && step.input("aws-session-token") == null ? Duration.ofHours(6) : Duration.ofHours(1);
            case "google-github-actions/auth" -> Duration.ofHours(1);
            case "azure/login" -> Duration.ofHours(1); // Entra ID access tokens, not configurable here
            default -> null;
        };
    }

    /** Inputs through which actions take a lifetime. */
    private static final java.util.List<String> LIFETIME_INPUTS = java.util.List.of("role-duration-seconds",
            "access_token_lifetime", "token_lifetime", "expires_in", "ttl", "duration-seconds");

    /** The lifetime a step asks for, as written (with its line), if it asks. */
    static Optional<Value> lifetimeValue(Step step) {
        for (String key : LIFETIME_INPUTS) {
            if (step.with().containsKey(key)) {
                return Optional.of(step.with().get(key));
            }
        }
        return Optional.empty();
    }

    /** {@code 3600}, {@code 3600s}, {@code 90m}, {@code 2h}, {@code 1h 30m} (GitLab timeouts too), or null. */
    static Duration seconds(String text) {
        Matcher plain = Pattern.compile("(\\d{1,9})\\s*s?").matcher(text);
        if (plain.matches()) {
            return Duration.ofSeconds(Long.parseLong(plain.group(1)));
        }
        Matcher parts = Pattern.compile("(\\d{1,9})\\s*(h|hours?|m|min|minutes?|s|sec|seconds?|d|days?)\\b")
                .matcher(text);
        Duration total = Duration.ZERO;
        boolean any = false;
        while (parts.find()) {
            long count = Long.parseLong(parts.group(1));
            total = total.plus(switch (parts.group(2).charAt(0)) {
                case 'h' -> Duration.ofHours(count);
                case 'm' -> Duration.ofMinutes(count);
                case 'd' -> Duration.ofDays(count);
                default -> Duration.ofSeconds(count);
            });
            any = true;
        }
        return any ? total : null;
    }
}
