package dev.warden.limit;

import dev.warden.core.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds out, by trying, what this machine lets Warden do: bubblewrap with all namespaces, else unshare as root;
 * strace, and whether it can filter with seccomp-bpf (which makes untraced system calls cost nothing).
 */
public final class SandboxProbe {

    /** How builds can be confined here. */
    public enum Kind { BUBBLEWRAP, UNSHARE, NONE }

    /**
     * What was found.
     *
     * @param tracer     the strace executable, or null
     * @param seccompBpf whether strace's {@code --seccomp-bpf} works here
     * @param problems   why the better options are unavailable, for the report
     */
    public record Capabilities(Kind sandbox, String tracer, boolean seccompBpf, List<String> problems) {

        public Capabilities {
            problems = List.copyOf(problems);
        }

        /** One line for the report: what protection is in force. */
        public String describe() {
            String confinement = switch (sandbox) {
                case BUBBLEWRAP -> "bubblewrap: no network (loopback only), private PID/IPC/UTS namespaces, "
                        + "read-only system, private /tmp and home, credentials replaced by decoys";
                case UNSHARE -> "unshare (root): no network (loopback only), private PID and mount namespaces, "
                        + "existing credential files replaced by decoys; home, /tmp and the system stay writable";
                case NONE -> "none";
            };
            return confinement + "; monitor: " + (tracer == null ? "none"
                    : "strace" + (seccompBpf ? " with seccomp-bpf" : " (without seccomp-bpf: slower)"));
        }
    }

    private SandboxProbe() {
    }

    public static Capabilities probe(Environment env) {
        List<String> problems = new ArrayList<>();
        Kind kind = Kind.NONE;
        Optional<String> bwrap = which(env, "bwrap");
        if (bwrap.isPresent() && runs(List.of(bwrap.get(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                "--proc", "/proc", "--dev", "/dev", "true"))) {
            kind = Kind.BUBBLEWRAP;
        } else {
            problems.add(bwrap.isEmpty() ? "bubblewrap is not installed (apt-get install bubblewrap)"
                    : "bubblewrap cannot create namespaces here");
            Optional<String> unshare = which(env, "unshare");
            if (unshare.isPresent() && which(env, "ip").isPresent() && runs(List.of(unshare.get(), "--net", "--pid",
                    "--fork", "--mount", "--mount-proc", "true"))) {
                kind = Kind.UNSHARE;
            } else {
                problems.add("unshare cannot create network, PID and mount namespaces (needs root and iproute2)");
            }
        }
        Optional<String> strace = which(env, "strace");
        boolean seccomp = false;
        if (strace.isPresent()) {
            // One try with the seccomp filter; only when that fails, one without.
            seccomp = runs(List.of(strace.get(), "-f", "-qq", "--seccomp-bpf", "-e", "trace=execve", "-o", "/dev/null",
                    "true"));
            if (!seccomp && !runs(List.of(strace.get(), "-f", "-qq", "-e", "trace=execve", "-o", "/dev/null", "true"))) {
                problems.add("strace cannot trace here (ptrace is restricted)");
                strace = Optional.empty();
            }
        } else {
            problems.add("strace is not installed (apt-get install strace)");
        }
        return new Capabilities(kind, strace.orElse(null), seccomp, problems);
    }

    static Optional<String> which(Environment env, String program) {
        for (String dir : env.variable("PATH").orElse("/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
