package dev.warden.expose;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns strace's output ({@code -f -ttt -xx --pidns-translation}) into {@link Syscall}s and process exits, line by line, as the build
 * runs. Holds the first half of interrupted calls ({@code <unfinished ...>}) per process until their
 * {@code <... name resumed>} line arrives.
 */
public final class StraceParser {

    /** What one line meant: a completed call, a process that ended, a spawn under way, or nothing yet. */
    public sealed interface Record permits Call, Exit, Spawning {
    }

    /**
     * A process started clone/fork/vfork and has not returned from it yet: the child may act (and, after vfork,
     * must exec) before the parent's call completes and names it.
     */
    public record Spawning(int pid) implements Record {
    }

    public record Call(Syscall syscall) implements Record {
    }

    /** A process ended: normally ({@code signal} null) or killed by a signal. */
    public record Exit(int pid, long micros, Integer status, String signal) implements Record {
    }

    private static final Pattern HEAD = Pattern.compile("^(\\d+)\\s+(\\d+)\\.(\\d{6}) (.*)$");
    private static final Pattern RESULT = Pattern.compile("\\) += (-?\\d+|0x[0-9a-f]+|\\?)"
            + "(?: /\\* (\\d+) in strace's PID NS \\*/)?(?: ([A-Z][A-Z0-9_]+))?.*$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. (\\w+) resumed>(.*)$");
    private static final Pattern CALL = Pattern.compile("^(\\w+)\\((.*)$");
    private static final Pattern EXITED = Pattern.compile("^\\+\\+\\+ exited with (\\d+) \\+\\+\\+$");
    private static final Pattern KILLED = Pattern.compile("^\\+\\+\\+ killed by (SIG\\w+)(?: \\(core dumped\\))? \\+\\+\\+$");

    private static final Set<String> SPAWNS = Set.of("clone", "clone3", "fork", "vfork");

    private record Pending(String name, String arguments, long micros) {
    }

    private final Map<Integer, Pending> pending = new HashMap<>();

    public Optional<Record> parse(String line) {
        Matcher head = HEAD.matcher(line);
        if (!head.matches()) {
            return Optional.empty();
        }
        int pid = Integer.parseInt(head.group(1));
        long micros = Long.parseLong(head.group(2)) * 1_000_000 + Long.parseLong(head.group(3));
        String body = head.group(4);
        Matcher exited = EXITED.matcher(body);
        if (exited.matches()) {
            pending.remove(pid);
            return Optional.of(new Exit(pid, micros, Integer.parseInt(exited.group(1)), null));
        }
        Matcher killed = KILLED.matcher(body);
        if (killed.matches()) {
            pending.remove(pid);
            return Optional.of(new Exit(pid, micros, null, killed.group(1)));
        }
        Matcher resumed = RESUMED.matcher(body);
        if (resumed.matches()) {
            Pending first = pending.remove(pid);
            if (first == null || !first.name().equals(resumed.group(1))) {
                return Optional.empty();
            }
            return complete(pid, first.micros(), first.name(), first.arguments() + resumed.group(2));
        }
        Matcher call = CALL.matcher(body);
        if (!call.matches()) {
            return Optional.empty();
        }
        String rest = call.group(2);
        if (rest.endsWith(" <unfinished ...>")) {
            pending.put(pid, new Pending(call.group(1), rest.substring(0, rest.length() - " <unfinished ...>".length()),
                    micros));
            return SPAWNS.contains(call.group(1)) ? Optional.of(new Spawning(pid)) : Optional.empty();
        }
        return complete(pid, micros, call.group(1), rest);
    }

    /** {@code rest} is everything after the opening parenthesis: arguments, ") = result", maybe an errno. */
    private static Optional<Record> complete(int pid, long micros, String name, String rest) {
        Matcher result = RESULT.matcher(rest);
        int end = rest.lastIndexOf(") = ");
        if (end < 0 || !result.find(end)) {
            // "exit_group(0) = ?" or a call that never returned: arguments without a result
            String arguments = end < 0 ? rest : rest.substring(0, end);
            return Optional.of(new Call(new Syscall(pid, micros, name, arguments, null, null)));
        }
        // With --pidns-translation a child's pid is also given as the tracer sees it, which is what later lines use.
        String value = result.group(2) != null ? result.group(2) : result.group(1);
        Long number = value.equals("?") ? null : value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16)
                : Long.parseLong(value);
        return Optional.of(new Call(new Syscall(pid, micros, name, rest.substring(0, end), number, result.group(3))));
    }
}
