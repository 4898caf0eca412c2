package dev.warden.core;

import java.util.regex.Pattern;

/**
 * Text from an input (a job name, a path in an archive, a role name) made safe to print: control characters —
 * newlines that would forge a second {@code warden:} line, escape sequences that rewrite the terminal — become
 * {@code ?}.
 */
public final class Printable {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Printable() {
    }

    public static String of(String text) {
        return text == null ? null : CONTROL.matcher(text).replaceAll("?");
    }
}
