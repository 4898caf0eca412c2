package dev.warden.core;

import java.util.Locale;
import java.util.Set;

/**
 * Which environment variable names hold credentials. Shared by the source scan (a build script reading one is a
 * finding) and the sandbox (such variables never enter it).
 */
public final class SecretNames {

    /** Segments that make a variable name secret-looking on their own. */
    private static final Set<String> SECRET_WORDS = Set.of("TOKEN", "TOKENS", "SECRET", "SECRETS", "PASSWORD",
            "PASSWD", "PASSPHRASE", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PAT", "AUTH");
    /** Providers whose variables are credentials or identify accounts (AWS_*, GITHUB_*, …). */
    private static final Set<String> SECRET_PREFIXES = Set.of("AWS", "GITHUB", "GH", "GITLAB", "AZURE", "GCP",
            "GOOGLE", "NPM", "DOCKER", "SLACK", "STRIPE", "HEROKU", "VAULT", "TWINE", "PYPI", "CARGO_REGISTRY",
            "CARGO_REGISTRIES");
    /** A secret-looking word followed by KEY: API_KEY, ACCESS_KEY, PRIVATE_KEY, … */
    private static final Set<String> KEY_QUALIFIERS = Set.of("API", "ACCESS", "PRIVATE", "SECRET", "SIGNING",
            "ENCRYPTION");

    private SecretNames() {
    }

    /** Whether an environment variable name looks like it holds a credential. */
    public static boolean looksSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String[] segments = upper.split("[_\\-.]+");
        for (int i = 0; i < segments.length; i++) {
            if (SECRET_WORDS.contains(segments[i])) {
                return true;
            }
            if (i + 1 < segments.length && segments[i + 1].equals("KEY") && KEY_QUALIFIERS.contains(segments[i])) {
                return true;
            }
        }
        for (String prefix : SECRET_PREFIXES) {
            if (upper.equals(prefix) || upper.startsWith(prefix + "_")) {
                return true;
            }
        }
        return false;
    }
}
