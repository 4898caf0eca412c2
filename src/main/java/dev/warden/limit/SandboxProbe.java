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
 * Finds out, by trying, what this machine lets Warden do: bubblewrap with all namespaces and a user namespace of
 * its own (as root too: that is what takes root's capabilities away), a seccomp filter for this architecture;
 * strace, and whether it can filter with seccomp-bpf (which makes untraced system calls cost nothing). There is no
 * weaker fallback: a sandbox that root inside can take apart is not offered as one.
 */
public final class SandboxProbe {

    /** How builds can be confined here. */
    public enum Kind { BUBBLEWRAP, NONE }

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
                case BUBBLEWRAP -> "bubblewrap: unprivileged user namespace without capabilities, seccomp filter, "
                        + "no network (loopback only), private PID/IPC/UTS namespaces, read-only system, private /tmp "
                        + "and home, credentials and project secrets replaced by decoys";
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
        String arch = System.getProperty("os.arch");
        if (!SeccompFilter.supported(arch)) {
            problems.add("no seccomp filter for " + arch + " yet");
        } else if (bwrap.isEmpty()) {
            problems.add("bubblewrap is not installed (apt-get install bubblewrap)");
        } else if (runs(List.of(bwrap.get(), "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
                "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"))) {
            kind = Kind.BUBBLEWRAP;
        } else {
            problems.add("bubblewrap cannot create a user namespace here (bubblewrap 0.8 or later, and user "
                    + "namespaces allowed: sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0)");
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

    /**
     * The prefix that ties a started command's life to Warden's: Warden killed with SIGKILL cannot stop what it
     * started, so the first process asks the kernel for SIGKILL when its parent dies (util-linux {@code setpriv
     * --pdeathsig}, kept across exec). The tracer's death then takes bubblewrap ({@code --die-with-parent}) and the
     * build with it. Empty where setpriv is missing.
     */
    public static List<String> dieWithWarden(Environment env) {
        return dieWithWarden(env.variable("PATH").orElse(null));
    }

    /** The same, for a command started with its own {@code PATH} (null: the default). */
    public static List<String> dieWithWarden(String path) {
        return which(path, "setpriv").map(setpriv -> List.of(setpriv, "--pdeathsig", "KILL", "--"))
                .orElse(List.of());
    }

    public static Optional<String> which(Environment env, String program) {
        return which(env.variable("PATH").orElse(null), program);
    }

    private static Optional<String> which(String path, String program) {
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
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
