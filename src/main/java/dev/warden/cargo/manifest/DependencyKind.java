package dev.warden.cargo.manifest;

import dev.warden.core.WardenException;

import java.util.Locale;

/** The three dependency tables of a manifest. */
public enum DependencyKind {
    NORMAL("dependencies"), BUILD("build-dependencies"), DEV("dev-dependencies");

    private final String table;

    DependencyKind(String table) {
        this.table = table;
    }

    /** The manifest table this kind is declared in, e.g. {@code build-dependencies}. */
    public String table() {
        return table;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DependencyKind parse(String text) {
        for (DependencyKind kind : values()) {
            if (kind.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new WardenException("unknown dependency kind '" + text + "' (expected normal, build or dev)");
    }
}
