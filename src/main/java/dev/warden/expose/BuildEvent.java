package dev.warden.expose;

import dev.warden.core.WardenException;

/**
 * Something a build did that matters for security, attributed to a crate.
 *
 * @param micros    when the system call happened (epoch microseconds, from the tracer)
 * @param target    what it acted on: the program run, the address or DNS name, the file
 * @param detail    more about it: argv, the query type, the open flags
 * @param error     the errno when the call failed (the sandbox blocked it), else null
 */
public record BuildEvent(long micros, Kind kind, int pid, Actor actor, String target, String detail, String error) {

    /** The kinds of event, named as they appear in the log and {@code warden events --kind}. */
    public enum Kind {
        EXEC("exec"), CONNECT("connect"), DNS("dns"), SEND("send"), FILE("file"), PERSISTENCE("persistence"),
        PRIVILEGED("privileged"), LISTEN("listen"), EVASION("evasion"), OUTLIVED("outlived"), ANOMALY("anomaly");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Kind parse(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new WardenException("unknown event kind '" + label + "' (expected one of "
                    + java.util.Arrays.stream(values()).map(Kind::label).collect(java.util.stream.Collectors.joining(", "))
                    + ")");
        }
    }

    public boolean blocked() {
        return error != null;
    }
}
