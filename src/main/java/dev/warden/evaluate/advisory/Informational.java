package dev.warden.evaluate.advisory;

import java.util.Locale;

/** RustSec's informational advisory kinds: not a vulnerability, but something a user should know. */
public enum Informational {
    UNMAINTAINED, UNSOUND, NOTICE, OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for a plain vulnerability (no {@code informational} key). */
    public static Informational parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "unmaintained" -> UNMAINTAINED;
            case "unsound" -> UNSOUND;
            case "notice" -> NOTICE;
            default -> OTHER;
        };
    }
}
