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

    /** What one line meant: a completed call, a process that ended, a spawn under way, a denied call, or nothing yet. */
    public sealed interface Record permits Call, Exit, Spawning, Denied {
    }

    /**
     * The seccomp filter stopped a call ({@code --- SIGSYS {… si_syscall=__NR_mount …} ---}): it never ran, and the
     * process got SIGSYS.
     */
    public record Denied(int pid, long micros, String syscall) implements Record {
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

    private static final Pattern EXITED = Pattern.compile("^\\+\\+\\+ exited with (\\d{1,9}) \\+\\+\\+$");
    private static final Pattern SIGSYS = Pattern.compile("^--- SIGSYS \\{.*\\bsi_code=SYS_SECCOMP\\b.*\\bsi_syscall="
            + "(?:__NR_)?(\\w+).*\\} ---$");
    private static final Pattern KILLED = Pattern.compile("^\\+\\+\\+ killed by (SIG\\w+)(?: \\(core dumped\\))? \\+\\+\\+$");

    private static final Set<String> SPAWNS = Set.of("clone", "clone3", "fork", "vfork");

    private record Pending(String name, String arguments, long micros) {
    }

    private final Map<Integer, Pending> pending = new HashMap<>();
    /** Whether pids have been translated from the build's PID namespace: the build runs in one. */
    private boolean pidNamespace;

    public Optional<Record> parse(String line) {
        // Hand-parsed, not matched with regular expressions: execve lines of linkers run to hundreds of kilobytes.
        int space = line.indexOf(' ');
        // Pids are at most 2^22 on Linux; anything longer is not a pid (and would not fit an int).
        if (space <= 0 || space > 9 || !digits(line, 0, space)) {
            return Optional.empty();
        }
        int start = space;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int dot = line.indexOf('.', start);
        int end = line.indexOf(' ', start);
        if (dot < 0 || end < 0 || dot > end || end - dot != 7 || dot - start > 12 || !digits(line, start, dot)
                || !digits(line, dot + 1, end)) {
            return Optional.empty();
        }
        int pid = Integer.parseInt(line, 0, space, 10);
        long micros = Long.parseLong(line, start, dot, 10) * 1_000_000 + Long.parseLong(line, dot + 1, end, 10);
        String body = line.substring(end + 1);
        if (body.startsWith("+++ ")) {
            return exit(pid, micros, body);
        }
        if (body.startsWith("--- SIGSYS ")) {
            Matcher denied = SIGSYS.matcher(body);
            return denied.matches() ? Optional.of(new Denied(pid, micros, denied.group(1))) : Optional.empty();
        }
        if (body.startsWith("<... ")) {
            int resumed = body.indexOf(" resumed>");
            if (resumed < 5) { // "<... " then the call's name: a build can print "<... resumed>" with none
                return Optional.empty();
            }
            String name = body.substring(5, resumed);
            Pending first = pending.remove(pid);
            if (first == null || !first.name().equals(name)) {
                return Optional.empty();
            }
            return complete(pid, first.micros(), first.name(), first.arguments() + body.substring(resumed + 9));
        }
        int open = body.indexOf('(');
        if (open <= 0 || !word(body, open)) {
            return Optional.empty();
        }
        String name = body.substring(0, open);
        String rest = body.substring(open + 1);
        if (rest.endsWith(" <unfinished ...>")) {
            pending.put(pid, new Pending(name, rest.substring(0, rest.length() - " <unfinished ...>".length()), micros));
            return SPAWNS.contains(name) ? Optional.of(new Spawning(pid)) : Optional.empty();
        }
        return complete(pid, micros, name, rest);
    }

    private Optional<Record> exit(int pid, long micros, String body) {
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
        return Optional.empty();
    }

    /** {@code ENETUNREACH}: E and capitals or digits (checked by hand: this runs for every failed call). */
    private static boolean errnoName(String text) {
        if (text.length() < 2 || text.charAt(0) != 'E') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean word(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** {@code rest} is everything after the opening parenthesis: arguments, ") = result", maybe an errno. */
    private Optional<Record> complete(int pid, long micros, String name, String rest) {
        int end = rest.lastIndexOf(") = ");
        if (end < 0) {
            // "exit_group(0) = ?" or a call that never returned: arguments without a result
            return Optional.of(new Call(new Syscall(pid, micros, name, rest, null, null)));
        }
        String tail = rest.substring(end + 4);
        int cut = tail.indexOf(' ');
        String value = cut < 0 ? tail : tail.substring(0, cut);
        // With --pidns-translation a child's pid is also given as the tracer sees it, which is what later lines use.
        int translated = tail.indexOf("/* ");
        if (translated >= 0 && tail.indexOf(" in strace's PID NS */", translated) > 0) {
            value = tail.substring(translated + 3, tail.indexOf(' ', translated + 3));
            pidNamespace = true;
        } else if (pidNamespace && SPAWNS.contains(name) && !value.startsWith("-")) {
            // strace could not translate (the child had already exited): the number is the child's pid inside the
            // namespace, which no other line uses. The child is still followed by its own lines.
            value = "?";
        }
        Long number;
        try {
            number = value.equals("?") ? null : value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16)
                    : Long.parseLong(value);
        } catch (NumberFormatException e) {
            number = null;
        }
        String errno = null;
        if (number != null && number < 0 && cut > 0) {
            int errnoEnd = tail.indexOf(' ', cut + 1);
            String candidate = errnoEnd < 0 ? tail.substring(cut + 1) : tail.substring(cut + 1, errnoEnd);
            errno = errnoName(candidate) ? candidate : null;
        }
        return Optional.of(new Call(new Syscall(pid, micros, name, rest.substring(0, end), number, errno)));
    }
}
