package dev.warden.core;

import java.util.regex.Pattern;

/**
 * A kind of finding: a stable kebab-case code (never renamed once released, because users ignore findings by it),
 * the stage that emits it, a default severity and a one-line description used in help and SARIF rule metadata.
 */
public record Rule(String code, Stage stage, Severity defaultSeverity, String description) {

    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public Rule {
        if (!KEBAB.matcher(code).matches()) {
            throw new IllegalArgumentException("rule code must be kebab-case: " + code);
        }
        if (description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException("rule description must be one line: " + code);
        }
    }
}
