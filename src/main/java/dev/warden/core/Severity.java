package dev.warden.core;

import java.util.Locale;

/** How bad a finding is, ordered from least to most severe. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** The lower-case name used in JSON, SARIF and configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    public static Severity parse(String text) {
        for (Severity severity : values()) {
            if (severity.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return severity;
            }
        }
        throw new WardenException("unknown severity '" + text + "' (expected info, low, medium, high or critical)");
    }
}
