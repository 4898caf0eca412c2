package dev.warden.limit;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decoy secrets, fresh for every build: put where real ones would be (environment variables a payload reads, the
 * credential files it opens), so that a payload finds something to steal, and whatever leaves the build carrying
 * one of these values is exfiltration beyond doubt. They are shaped like the real thing so format checks pass.
 */
public final class Canaries {

    /** Variables a payload goes for, planted even when the caller had none of them. */
    public static final List<String> STANDARD = List.of("AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "CARGO_REGISTRY_TOKEN", "NPM_TOKEN");

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> values = new LinkedHashMap<>();

    /** A decoy for the variable or file {@code name}, shaped like its real counterpart. */
    public String plant(String name) {
        return values.computeIfAbsent(name, n -> shaped(n.toUpperCase(Locale.ROOT)));
    }

    private String shaped(String name) {
        if (name.contains("AWS_ACCESS_KEY_ID")) {
            return "AKIA" + upper(16);
        }
        if (name.contains("GITHUB") || name.startsWith("GH_")) {
            return "ghp_" + random(36);
        }
        if (name.contains("CARGO")) {
            return "cio" + random(29);
        }
        if (name.contains("NPM")) {
            return "npm_" + random(36);
        }
        return random(40);
    }

    /** Every decoy planted so far, by what it stands in for. */
    public Map<String, String> all() {
        return Map.copyOf(values);
    }

    private String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    private String upper(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(random.nextInt(26)));
        }
        return out.toString();
    }
}
