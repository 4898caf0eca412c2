package dev.warden.core;

import java.util.Locale;

/** The six REFLEX defence stages; every finding belongs to one. */
public enum Stage {
    RECONNAISSANCE, EVALUATION, FORTIFY, LIMIT, EXPOSE, EXERCISE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
