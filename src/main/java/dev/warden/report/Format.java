package dev.warden.report;

import java.util.Locale;

/** Output formats. Each command declares which of them it supports. */
public enum Format {
    TEXT, JSON, SARIF, MARKDOWN,
    /** {@code cargo audit --json}'s shape, for tools built on it ({@code audit} only). */
    CARGO_AUDIT_JSON;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
