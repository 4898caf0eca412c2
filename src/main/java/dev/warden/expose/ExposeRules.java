package dev.warden.expose;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** What {@code warden build} alerts on, from what the build was seen doing. */
public final class ExposeRules {

    private static Rule rule(String code, Severity severity, String description) {
        return new Rule(code, Stage.EXPOSE, severity, description);
    }

    public static final Rule DNS_EXFILTRATION = rule("dns-exfiltration", Severity.CRITICAL,
            "A DNS query carried a secret Warden planted or hid, encoded in its labels.");
    public static final Rule DNS_ENCODED = rule("dns-encoded-query", Severity.HIGH,
            "A DNS query's labels look like encoded data rather than a hostname.");
    public static final Rule DNS_MANY_SUBDOMAINS = rule("dns-many-subdomains", Severity.HIGH,
            "One build asked for many different sub-domains of one domain, as data smuggled in names does.");
    public static final Rule EGRESS = rule("egress-attempt", Severity.HIGH,
            "Code tried to reach the network during an offline build (a DNS query or a connection).");
    public static final Rule NETWORK_TOOL = rule("network-tool-run", Severity.HIGH,
            "Build-time code started a network tool (curl, wget, nc, nslookup, …).");
    public static final Rule SECRET_FILE = rule("secret-file-access", Severity.HIGH,
            "Code opened a credential file that the sandbox hides.");
    public static final Rule ENVIRON_READ = rule("environ-read", Severity.HIGH,
            "Code read another process's environment (/proc/<pid>/environ).");
    public static final Rule EVASION = rule("evasion-attempt", Severity.HIGH,
            "Code used a technique that hides activity from monitoring (io_uring, ptrace, raw sockets, fileless exec).");
    public static final Rule PERSISTENCE = rule("persistence-attempt", Severity.HIGH,
            "Code wrote, or tried to write, where persistence lives: Cargo's binaries or crate sources, the toolchain, "
                    + "shell start-up files, git hooks, /etc.");
    public static final Rule PRIVILEGED_CALL = rule("privileged-syscall", Severity.HIGH,
            "Code called what takes a sandbox apart or reaches into other processes (mount, unshare, setns, ptrace, "
                    + "process_vm_readv, …); the seccomp filter denied it.");
    public static final Rule UNIX_CONNECT = rule("unix-socket-connect", Severity.HIGH,
            "Code connected, or tried to, to a unix socket (a daemon's API such as docker.sock, an agent).");
    public static final Rule LISTEN = rule("listen-attempt", Severity.MEDIUM,
            "Code bound or listened on a socket during the build.");
    public static final Rule MONITOR_ANOMALY = rule("monitor-anomaly", Severity.MEDIUM,
            "The monitor met a trace line it could not read; it logged it and kept watching.");
    public static final Rule UNMONITORED = rule("build-unmonitored", Severity.HIGH,
            "The tracer or the trace reader stopped before the build ended: what the build did after that is unknown.");
    public static final Rule WRITE_OUTSIDE = rule("write-outside-sandbox", Severity.MEDIUM,
            "Code tried to write outside the target and temporary directories.");
    public static final Rule FIRST_SEEN_EXECUTABLE = rule("first-seen-executable", Severity.MEDIUM,
            "Build-time code ran a program no earlier clean build of this project ran.");
    public static final Rule OUTLIVED = rule("outlived-build", Severity.HIGH,
            "A process was still running when the build ended and was killed with the sandbox.");
    public static final Rule UNPROTECTED = rule("build-unprotected", Severity.MEDIUM,
            "The build ran without a sandbox or without monitoring.");

    public static final List<Rule> ALL = List.of(DNS_EXFILTRATION, DNS_ENCODED, DNS_MANY_SUBDOMAINS, EGRESS,
            NETWORK_TOOL, SECRET_FILE, ENVIRON_READ, EVASION, PERSISTENCE, PRIVILEGED_CALL, UNIX_CONNECT, LISTEN,
            WRITE_OUTSIDE, FIRST_SEEN_EXECUTABLE, OUTLIVED, MONITOR_ANOMALY, UNMONITORED, UNPROTECTED);

    private ExposeRules() {
    }
}
