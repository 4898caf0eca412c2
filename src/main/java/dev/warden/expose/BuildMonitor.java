package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns the tracer's stream into {@link BuildEvent}s as the build runs: every exec, every connection and packet
 * sent (DNS questions decoded from the bytes), opens of the paths that matter, evasion techniques, and processes
 * left over at the end. Opens of ordinary files (rustc reads thousands) are not events.
 */
public final class BuildMonitor {

    /**
     * What makes a file access matter.
     *
     * @param sensitive path prefixes whose opening is reported (hidden credentials, planted canaries)
     * @param writable  path prefixes the build may write to; failed writes elsewhere are reported
     */
    public record Paths(List<String> sensitive, List<String> writable) {

        public Paths {
            sensitive = List.copyOf(sensitive);
            writable = List.copyOf(writable);
        }
    }

    private static final Set<String> EXECS = Set.of("execve", "execveat");
    private static final Set<String> SENDS = Set.of("sendto", "sendmsg", "sendmmsg");
    private static final Pattern ENVIRON = Pattern.compile("^/proc/(\\d+|self|thread-self)/(environ|mem)$");
    private static final Pattern WRITE_FLAGS = Pattern.compile("O_WRONLY|O_RDWR|O_CREAT|O_TRUNC");

    /** "/environ" as strace -xx writes it. */
    private static final String ENVIRON_HEX = hex("/environ");

    private final StraceParser parser = new StraceParser();
    private final List<String> sensitiveHex;
    private final ProcessTracker processes;
    private final Paths paths;
    private final Consumer<BuildEvent> sink;
    private int syscalls;

    public BuildMonitor(ProcessTracker processes, Paths paths, Consumer<BuildEvent> sink) {
        this.processes = processes;
        this.paths = paths;
        this.sink = sink;
        this.sensitiveHex = paths.sensitive().stream().map(BuildMonitor::hex).toList();
    }

    /** One line of strace output. */
    public void accept(String line) {
        if (ordinaryOpen(line)) {
            syscalls++;
            return;
        }
        Optional<StraceParser.Record> record = parser.parse(line);
        if (record.isEmpty()) {
            return;
        }
        if (record.get() instanceof StraceParser.Exit exit) {
            processes.exited(exit.pid());
            return;
        }
        if (record.get() instanceof StraceParser.Spawning spawn) {
            processes.spawning(spawn.pid());
            return;
        }
        Syscall call = ((StraceParser.Call) record.get()).syscall();
        syscalls++;
        Actor actor = processes.observe(call);
        if (actor.role() == Actor.Role.COMPILER && !actor.procMacros().isEmpty() && !EXECS.contains(call.name())) {
            // rustc itself never touches the network or secrets: code that does runs in a proc macro it loaded.
            actor = new Actor(Actor.Role.PROC_MACRO, actor.crate(), actor.program(), actor.procMacros());
        }
        if (actor.role() == Actor.Role.SANDBOX && !EXECS.contains(call.name())) {
            return; // the sandbox setting itself up (loopback via netlink, mounts)
        }
        for (BuildEvent event : events(call, actor)) {
            sink.accept(event);
        }
    }

    /** The build's main process has ended: whatever is still running outlived it (the sandbox kills it). */
    public void finish(long micros) {
        for (int pid : processes.stillAlive()) {
            Actor actor = processes.actor(pid);
            if (pid != processes.root() && actor.role() != Actor.Role.SANDBOX) {
                sink.accept(new BuildEvent(micros, BuildEvent.Kind.OUTLIVED, pid, actor, actor.program(),
                        "still running when the build ended; killed with the sandbox", null));
            }
        }
    }

    /**
     * Most of a build's trace is rustc and cc opening sources and libraries: recognised here from the raw line
     * (sensitive prefixes are matched in their hex-escaped form) without parsing, so that the monitor's own CPU does
     * not slow the build it watches.
     */
    private boolean ordinaryOpen(String line) {
        int at = line.indexOf(" openat(");
        if (at < 0 || line.endsWith("<unfinished ...>")) {
            return false;
        }
        int open = line.indexOf('"', at);
        int close = open < 0 ? -1 : line.indexOf('"', open + 1);
        int result = line.lastIndexOf(") = ");
        if (close < 0 || result < close) {
            return false;
        }
        for (String prefix : sensitiveHex) {
            if (line.startsWith(prefix, open + 1)) {
                return false;
            }
        }
        if (close - open - 1 >= ENVIRON_HEX.length() && line.startsWith(ENVIRON_HEX, close - ENVIRON_HEX.length())) {
            return false;
        }
        // A failed attempt to write is worth a look; everything else that opened a file is not.
        return !(line.startsWith("-1 E", result + 4)
                && WRITE_FLAGS.matcher(line.substring(close, result)).find());
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("\\x%02x", b & 0xFF));
        }
        return out.toString();
    }

    public int syscalls() {
        return syscalls;
    }

    private List<BuildEvent> events(Syscall call, Actor actor) {
        List<BuildEvent> events = new ArrayList<>();
        switch (call.name()) {
            case "execve", "execveat" -> {
                List<byte[]> strings = call.strings();
                String program = strings.isEmpty() ? "?" : text(strings.getFirst());
                List<String> argv = strings.stream().skip(1).map(BuildMonitor::text).toList();
                boolean fileless = call.name().equals("execveat") && call.arguments().contains("AT_EMPTY_PATH")
                        || program.startsWith("/proc/self/fd/") || program.startsWith("/dev/fd/")
                        || program.startsWith("/memfd:");
                String command = actor.role() == Actor.Role.SANDBOX ? "(sandbox setup)" : abbreviate(String.join(" ",
                        argv));
                events.add(new BuildEvent(call.micros(), fileless ? BuildEvent.Kind.EVASION : BuildEvent.Kind.EXEC,
                        call.pid(), actor, program, fileless ? "fileless exec: " + command : command, call.errno()));
            }
            case "connect" -> {
                Syscall.SocketAddress address = call.address();
                if (address != null && !address.family().equals("unix")) {
                    events.add(new BuildEvent(call.micros(), BuildEvent.Kind.CONNECT, call.pid(), actor,
                            address.toString(), address.family(), call.errno()));
                }
            }
            case "sendto", "sendmsg", "sendmmsg" -> sends(call, actor, events);
            case "openat", "open", "openat2" -> open(call, actor, events);
            case "io_uring_setup" -> events.add(new BuildEvent(call.micros(), BuildEvent.Kind.EVASION, call.pid(),
                    actor, "io_uring", "io_uring_setup: system calls submitted through a ring are not traced",
                    call.errno()));
            case "ptrace" -> events.add(new BuildEvent(call.micros(), BuildEvent.Kind.EVASION, call.pid(), actor,
                    "ptrace", "ptrace(" + call.arguments() + ")", call.errno()));
            case "memfd_create" -> events.add(new BuildEvent(call.micros(), BuildEvent.Kind.EVASION, call.pid(), actor,
                    "memfd_create", "an anonymous in-memory file, the first step of fileless execution", call.errno()));
            case "socket" -> {
                // Raw IP and packet sockets bypass the socket layer the monitor watches; raw netlink (which glibc's
                // getifaddrs uses) does not leave the machine.
                if (call.arguments().startsWith("AF_PACKET") || (call.arguments().startsWith("AF_INET")
                        && call.arguments().contains("SOCK_RAW"))) {
                    events.add(new BuildEvent(call.micros(), BuildEvent.Kind.EVASION, call.pid(), actor,
                            "raw socket", "socket(" + call.arguments() + ")", call.errno()));
                }
            }
            default -> {
            }
        }
        return events;
    }

    /** Packets: a DNS question is a DNS event whoever sends it; other data leaving the machine is a send event. */
    private void sends(Syscall call, Actor actor, List<BuildEvent> events) {
        if (!SENDS.contains(call.name())) {
            return;
        }
        boolean dnsFound = false;
        for (byte[] blob : call.strings()) {
            Optional<DnsQuery> query = DnsQuery.parse(blob);
            if (query.isPresent()) {
                dnsFound = true;
                events.add(new BuildEvent(call.micros(), BuildEvent.Kind.DNS, call.pid(), actor, query.get().name(),
                        query.get().typeName(), call.errno()));
            }
        }
        Syscall.SocketAddress address = call.address();
        if (!dnsFound && address != null && !address.loopback()) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.SEND, call.pid(), actor, address.toString(),
                    call.name(), call.errno()));
        }
    }

    private void open(Syscall call, Actor actor, List<BuildEvent> events) {
        String path = call.firstString();
        if (path == null) {
            return;
        }
        if (ENVIRON.matcher(path).matches() && !path.startsWith("/proc/self/") && actor.role().untrusted()
                || paths.sensitive().stream().anyMatch(path::startsWith)) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.FILE, call.pid(), actor, path, "open",
                    call.errno()));
        } else if (actor.role().untrusted() && path.startsWith("/") && WRITE_FLAGS.matcher(call.arguments()).find()
                && call.failed()
                && ("EROFS".equals(call.errno()) || "EACCES".equals(call.errno()) || "EPERM".equals(call.errno()))
                && paths.writable().stream().noneMatch(path::startsWith)) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.FILE, call.pid(), actor, path,
                    "write outside the sandbox", call.errno()));
        }
    }

    /** Linker command lines run to tens of kilobytes; the start says what ran. */
    private static String abbreviate(String commandLine) {
        return commandLine.length() <= 2_000 ? commandLine : commandLine.substring(0, 2_000) + " …";
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
