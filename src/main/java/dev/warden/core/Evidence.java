package dev.warden.core;

import java.util.Objects;

/**
 * Where a finding was observed: a file (relative to the project when possible), a 1-based line (0 when the finding
 * concerns the whole file) and an optional excerpt.
 */
public record Evidence(String file, int line, String excerpt) {

    public Evidence {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0");
        }
    }

    public static Evidence of(String file, int line) {
        return new Evidence(file, line, null);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
