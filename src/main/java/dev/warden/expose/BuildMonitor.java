package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns the tracer's stream into {@link BuildEvent}s as the build runs: every exec, every connection (unix sockets
 * included) and packet sent (DNS questions decoded from the bytes), opens of the paths that matter (relative paths
 * resolved against the process's working directory), writes to persistence locations, privileged calls and the
 * seccomp filter's denials, evasion techniques, and processes left over at the end. Opens of ordinary files (rustc
 * reads thousands) are not events.
 *
 * <p>It never stops on its input: a line it cannot make sense of is a {@code monitor-anomaly} event, and watching
 * goes on — a build must not be able to blind its monitor with one odd exec.
 */
public final class BuildMonitor {

    /**
     * What makes a file access or a socket matter.
     *
     * @param sensitive   path prefixes whose opening is reported (hidden credentials, planted canaries)
     * @param writable    path prefixes the build may write to; failed writes elsewhere are reported
     * @param persistence path prefixes where writing (or trying to) is persistence: Cargo's binaries and sources,
     *                    the toolchain, shell start-up files, git hooks, /etc
     * @param unixAllowed unix socket paths the build may connect to; any other is reported
     */
    public record Paths(List<String> sensitive, List<String> writable, List<String> persistence,
                        List<String> unixAllowed) {

        public Paths {
            sensitive = List.copyOf(sensitive);
            writable = List.copyOf(writable);
            persistence = List.copyOf(persistence);
            unixAllowed = List.copyOf(unixAllowed);
        }
    }

    private static final Set<String> EXECS = Set.of("execve", "execveat");
    private static final Set<String> SENDS = Set.of("sendto", "sendmsg", "sendmmsg");
    /** Calls that take a sandbox apart or reach into other processes; the seccomp filter denies them. */
    private static final Set<String> PRIVILEGED = Set.of("mount", "umount2", "unshare", "setns", "pivot_root",
            "process_vm_readv", "process_vm_writev", "ptrace", "open_by_handle_at", "bpf", "keyctl", "add_key");
    private static final Pattern ENVIRON = Pattern.compile("^/proc/(\\d+|self|thread-self)/(environ|mem)$");
    private static final int ANOMALY_EXCERPT = 300;

    /** "/environ" as strace -xx writes it. */
    private static final String ENVIRON_HEX = hex("/environ");
    private static final String SLASH_HEX = hex("/");

    private final StraceParser parser = new StraceParser();
    private final List<String> sensitiveHex;
    private final List<String> persistenceHex;
    private final ProcessTracker processes;
    private final Paths paths;
    private final Consumer<BuildEvent> sink;
    private int syscalls;
    private long lastMicros;
    private boolean rootExited;
    private int anomalies;

    public BuildMonitor(ProcessTracker processes, Paths paths, Consumer<BuildEvent> sink) {
        this.processes = processes;
        this.paths = paths;
        this.sink = sink;
        this.sensitiveHex = paths.sensitive().stream().map(BuildMonitor::hex).toList();
        this.persistenceHex = paths.persistence().stream().map(BuildMonitor::hex).toList();
    }

    /** One line of strace output. Never throws: what it cannot read is reported as an anomaly. */
    public void accept(String line) {
        try {
            read(line);
        } catch (RuntimeException e) {
            anomalies++;
            String excerpt = line.length() <= ANOMALY_EXCERPT ? line : line.substring(0, ANOMALY_EXCERPT) + " …";
            sink.accept(new BuildEvent(lastMicros, BuildEvent.Kind.ANOMALY, 0,
                    new Actor(Actor.Role.OTHER, null, "monitor", List.of()), excerpt,
                    "the monitor could not read this trace line (" + e.getClass().getSimpleName() + "); watching goes on",
                    null));
        }
    }

    private void read(String line) {
        if (ordinaryOpen(line)) {
            syscalls++;
            return;
        }
        Optional<StraceParser.Record> record = parser.parse(line);
        if (record.isEmpty()) {
            return;
        }
        switch (record.get()) {
            case StraceParser.Exit exit -> {
                lastMicros = exit.micros();
                processes.exited(exit.pid());
                rootExited |= exit.pid() == processes.root();
            }
            case StraceParser.Spawning spawn -> processes.spawning(spawn.pid());
            case StraceParser.Denied denied -> {
                lastMicros = denied.micros();
                Actor actor = processes.actor(denied.pid());
                if (actor.role() != Actor.Role.SANDBOX) {
                    sink.accept(new BuildEvent(denied.micros(), BuildEvent.Kind.PRIVILEGED, denied.pid(), actor,
                            denied.syscall(), "denied by the seccomp filter; the process got SIGSYS", "SIGSYS"));
                }
            }
            case StraceParser.Call call -> call(call.syscall());
        }
    }

    private void call(Syscall call) {
        syscalls++;
        lastMicros = call.micros();
        Actor actor = processes.observe(call);
        if (actor.role() == Actor.Role.COMPILER && !actor.procMacros().isEmpty() && !EXECS.contains(call.name())) {
            // rustc itself never touches the network or secrets: code that does runs in a proc macro it loaded.
            actor = new Actor(Actor.Role.PROC_MACRO, actor.crate(), actor.program(), actor.procMacros());
        }
        if (actor.role() == Actor.Role.SANDBOX && !EXECS.contains(call.name())) {
            return; // bubblewrap setting itself up (loopback via netlink, mounts, its own namespaces)
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

    /** Whether the trace recorded the end of the process it started with: without it, the tracer was stopped. */
    public boolean sawTheEnd() {
        return rootExited;
    }

    public int anomalies() {
        return anomalies;
    }

    /**
     * Most of a build's trace is rustc and cc opening sources and libraries by absolute path: recognised here from
     * the raw line (watched prefixes are matched in their hex-escaped form) without parsing, so that the monitor's
     * own CPU does not slow the build it watches. Relative paths, opens relative to a directory descriptor and
     * directory opens are parsed: they need the process's working directory or its descriptors.
     */
    private boolean ordinaryOpen(String line) {
        int at = line.indexOf(" openat(AT_FDCWD, \"");
        if (at < 0 || line.endsWith("<unfinished ...>")) {
            return false;
        }
        int open = line.indexOf('"', at);
        int close = line.indexOf('"', open + 1);
        int result = line.lastIndexOf(") = ");
        if (close < 0 || result < close || !line.startsWith(SLASH_HEX, open + 1)) {
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
        String flags = line.substring(close, result);
        if (opensDirectory(flags)) {
            return false;
        }
        if (!writes(flags)) {
            return true;
        }
        for (String prefix : persistenceHex) {
            if (line.startsWith(prefix, open + 1)) {
                return false;
            }
        }
        // A failed attempt to write is worth a look; a write that worked, outside persistence places, is not.
        return !line.startsWith("-1 E", result + 4);
    }

    /** Open flags that write or create. */
    private static boolean writes(String flags) {
        return flags.contains("O_WRONLY") || flags.contains("O_RDWR") || flags.contains("O_CREAT")
                || flags.contains("O_TRUNC");
    }

    /** Open flags that make a descriptor later calls may be relative to. */
    private static boolean opensDirectory(String flags) {
        return flags.contains("O_DIRECTORY") || flags.contains("O_PATH");
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
                if (address == null) {
                    return events;
                }
                if (address.family().equals("unix")) {
                    unix(call, actor, address, events);
                } else {
                    events.add(new BuildEvent(call.micros(), BuildEvent.Kind.CONNECT, call.pid(), actor,
                            address.toString(), address.family(), call.errno()));
                }
            }
            case "bind", "listen" -> {
                Syscall.SocketAddress address = call.address();
                String where = address == null ? "descriptor " + call.descriptor() : address.family().equals("unix")
                        ? "unix:" + processes.absolute(call.pid(), address.host()) : address.toString();
                events.add(new BuildEvent(call.micros(), BuildEvent.Kind.LISTEN, call.pid(), actor, where,
                        call.name(), call.errno()));
            }
            case "sendto", "sendmsg", "sendmmsg" -> sends(call, actor, events);
            case "openat", "open", "openat2" -> open(call, actor, events);
            case "io_uring_setup" -> events.add(new BuildEvent(call.micros(), BuildEvent.Kind.EVASION, call.pid(),
                    actor, "io_uring", "io_uring_setup: system calls submitted through a ring are not traced",
                    call.errno()));
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
                if (PRIVILEGED.contains(call.name())) {
                    events.add(new BuildEvent(call.micros(), BuildEvent.Kind.PRIVILEGED, call.pid(), actor,
                            call.name(), call.name() + "(" + abbreviate(call.arguments()) + ")", call.errno()));
                }
            }
        }
        return events;
    }

    /** A unix socket: on the allow-list, nothing; anywhere else (a daemon's API, an agent), an event. */
    private void unix(Syscall call, Actor actor, Syscall.SocketAddress address, List<BuildEvent> events) {
        String path = address.host().startsWith("@") ? address.host() : processes.absolute(call.pid(), address.host());
        // Abstract sockets live in the network namespace, which is the sandbox's own.
        if (path.startsWith("@") || paths.unixAllowed().contains(path)) {
            return;
        }
        events.add(new BuildEvent(call.micros(), BuildEvent.Kind.CONNECT, call.pid(), actor, "unix:" + path, "unix",
                call.errno()));
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
        String raw = call.firstString();
        if (raw == null) {
            return;
        }
        String path = resolve(call, raw);
        boolean writing = writes(call.arguments());
        if (!call.failed() && call.result() != null && opensDirectory(call.arguments())) {
            processes.directoryOpened(call.pid(), call.result(), path);
        }
        if (writing && actor.role().untrusted() && paths.persistence().stream().anyMatch(path::startsWith)) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.PERSISTENCE, call.pid(), actor, path,
                    call.failed() ? "tried to write" : "wrote", call.errno()));
        } else if (ENVIRON.matcher(path).matches() && !path.startsWith("/proc/self/") && actor.role().untrusted()
                || paths.sensitive().stream().anyMatch(path::startsWith)) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.FILE, call.pid(), actor, path, "open",
                    call.errno()));
        } else if (actor.role().untrusted() && writing && call.failed()
                && ("EROFS".equals(call.errno()) || "EACCES".equals(call.errno()) || "EPERM".equals(call.errno()))
                && paths.writable().stream().noneMatch(path::startsWith)) {
            events.add(new BuildEvent(call.micros(), BuildEvent.Kind.FILE, call.pid(), actor, path,
                    "write outside the sandbox", call.errno()));
        }
    }

    /** The path an open meant: against its directory descriptor or the process's working directory. */
    private String resolve(Syscall call, String path) {
        if (path.startsWith("/") || call.name().equals("open")) {
            return processes.absolute(call.pid(), path);
        }
        Integer fd = call.descriptor();
        if (fd == null) {
            return processes.absolute(call.pid(), path);
        }
        String directory = processes.directory(call.pid(), fd);
        return directory == null ? "<descriptor " + fd + ">/" + path
                : java.nio.file.Path.of(directory).resolve(path).normalize().toString();
    }

    /** Linker command lines run to tens of kilobytes; the start says what ran. */
    private static String abbreviate(String commandLine) {
        return commandLine.length() <= 2_000 ? commandLine : commandLine.substring(0, 2_000) + " …";
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
