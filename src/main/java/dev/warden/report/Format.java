package dev.warden.report;

import java.util.Locale;

/** Output formats. Each command declares which of them it supports. */
public enum Format {
    TEXT, JSON, SARIF, MARKDOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
