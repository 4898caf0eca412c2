package dev.warden.report;

import dev.warden.core.WardenException;

import java.util.Locale;

/** Output formats. Each command declares which of them it supports. */
public enum Format {
    TEXT, JSON, SARIF, MARKDOWN, HTML,
    /** {@code cargo audit --json}'s shape, for tools built on it ({@code audit} only). */
    CARGO_AUDIT_JSON;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code json}, {@code cargo-audit-json}, any case. */
    public static Format parse(String text) {
        for (Format format : values()) {
            if (format.label().equalsIgnoreCase(text.trim())) {
                return format;
            }
        }
        throw new WardenException("unknown format '" + text + "' (expected text, json, sarif, markdown, html or "
                + "cargo-audit-json)");
    }
}
