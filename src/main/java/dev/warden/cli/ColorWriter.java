package dev.warden.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.BooleanSupplier;

/**
 * Standard output with the severity of each finding in colour when asked for ({@code --color}): a line that starts
 * with {@code error[} (blocking) is red, {@code warning[} yellow, {@code note:} dim. Reports are written as plain
 * text everywhere else; colour is added here, at the terminal's edge, so files, JSON and tests never see it.
 */
final class ColorWriter extends PrintWriter {

    private static final String RED = "\u001B[1;31m";
    private static final String YELLOW = "\u001B[33m";
    private static final String DIM = "\u001B[2m";
    private static final String RESET = "\u001B[0m";

    private final BooleanSupplier enabled;
    /** The current line so far: a finding's tag arrives in pieces (printf writes each argument on its own). */
    private final StringBuilder line = new StringBuilder();

    ColorWriter(Writer out, BooleanSupplier enabled) {
        super(out, true);
        this.enabled = enabled;
    }

    @Override
    public void write(String text, int offset, int length) {
        if (!enabled.getAsBoolean()) {
            super.write(text, offset, length);
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            char c = text.charAt(i);
            line.append(c);
            if (c == '\n') {
                emit();
            }
        }
    }

    @Override
    public void write(int c) {
        write(String.valueOf((char) c), 0, 1);
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        write(new String(buffer, offset, length), 0, length);
    }

    /** PrintWriter writes a line end straight to the writer underneath: routed through {@link #write} instead. */
    @Override
    public void println() {
        write(System.lineSeparator());
    }

    @Override
    public void flush() {
        emit();
        super.flush();
    }

    private void emit() {
        if (line.isEmpty()) {
            return;
        }
        String text = line.toString();
        line.setLength(0);
        String colour = colour(text);
        if (colour != null) {
            int end = prefixEnd(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            text = colour + text.substring(0, end) + RESET + text.substring(end);
        }
        super.write(text, 0, text.length());
    }

    private static String colour(String line) {
        return line.startsWith("error[") ? RED : line.startsWith("warning[") ? YELLOW : line.startsWith("note:") ? DIM
                : null;
    }

    /** The tag ({@code error[rule-id]}) is coloured; a note is dim as a whole. */
    private static int prefixEnd(String line) {
        if (line.startsWith("note:")) {
            return line.length();
        }
        int close = line.indexOf(']');
        return close < 0 ? line.length() : close + 1;
    }

    /** What {@code --color} asks for. */
    enum When { AUTO, ALWAYS, NEVER }
}
