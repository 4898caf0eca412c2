package dev.warden.core;

import java.nio.file.Path;

/**
 * A problem the user can fix: bad input, a missing file, an unsupported format. The CLI prints its message as one
 * line and exits with status 2; any other exception is a bug in Warden.
 */
public class WardenException extends RuntimeException {

    public WardenException(String message) {
        super(message);
    }

    public WardenException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error located in a file, rendered as {@code file:line: message} (line omitted when unknown, i.e. 0). */
    public static WardenException at(Path file, int line, String message) {
        return new WardenException(location(file, line) + ": " + message);
    }

    public static String location(Path file, int line) {
        String name = file == null ? "<input>" : file.toString();
        return line > 0 ? name + ":" + line : name;
    }
}
