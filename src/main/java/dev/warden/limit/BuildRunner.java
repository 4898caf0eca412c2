package dev.warden.limit;

import dev.warden.cargo.config.SourceDefinition;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.project.Project;
import dev.warden.core.Directories;
import dev.warden.core.Environment;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.SecretNames;
import dev.warden.core.SecretValues;
import dev.warden.core.RunDirectory;
import dev.warden.core.WardenException;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.BuildMonitor;
import dev.warden.expose.DnsQuery;
import dev.warden.expose.Detector;
import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreLocation;
import dev.warden.expose.EventStore;
import dev.warden.expose.ExposeRules;
import dev.warden.expose.ProcessTracker;
import dev.warden.expose.Redactor;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a build command (usually {@code cargo build --locked}) inside the sandbox with the tracer watching it from
 * outside (so the build cannot touch the trace), turns the trace into attributed events as it grows, judges each
 * one at once (the alert's delay after the event is the detection latency), and writes everything to the event log.
 * Refuses to run unprotected unless told to, and then says so in the result.
 */
public final class BuildRunner {

    /**
     * The system calls the monitor needs; everything else runs untraced (with seccomp-bpf, at full speed). The
     * privileged ones are denied by the sandbox's own filter, and show up as SIGSYS; they are listed for builds
     * without it.
     */
    static final String TRACED = "execve,execveat,connect,bind,listen,sendto,sendmsg,sendmmsg,open,openat,openat2,"
            + "chdir,fchdir,clone,clone3,fork,vfork,socket,memfd_create,io_uring_setup,ptrace,mount,umount2,unshare,"
            + "setns,pivot_root,process_vm_readv,process_vm_writev";
    /** Unix sockets a build may reach: the name-service cache glibc asks for users and hosts. */
    static final List<String> UNIX_ALLOWED = List.of("/run/nscd/socket", "/var/run/nscd/socket",
            "/var/lib/sss/pipes/nss");
    /** How often the runner checks that the trace is still being read. */
    private static final long WATCHDOG_MILLIS = 100;

    /**
     * How to run.
     *
     * @param noSandbox run without confinement (still monitored when strace works), after saying so
     * @param store     the event store; it must lie outside everything the build can write
     */
    public record Options(List<String> command, List<String> allowEnv, boolean noSandbox, StoreLocation store) {

        public Options {
            command = List.copyOf(command);
            allowEnv = List.copyOf(allowEnv);
        }
    }

    /** Which of the caller's secret-looking variables the build's code could read, saw as decoys, or never saw. */
    private static Map<String, EventStore.Exposure> exposure(Map<String, String> callers, boolean unprotected,
                                                             SandboxPlan plan) {
        Map<String, EventStore.Exposure> exposure = new TreeMap<>();
        Map<String, String> inside = plan.environment();
        for (Map.Entry<String, String> variable : callers.entrySet()) {
            String name = variable.getKey();
            if (!SecretNames.looksSecret(name) && !SecretValues.looksSecret(variable.getValue())) {
                continue;
            }
            exposure.put(name, unprotected ? EventStore.Exposure.REAL
                    : plan.canaries().containsKey(name) ? EventStore.Exposure.DECOY
                    : inside.containsKey(name) ? EventStore.Exposure.REAL : EventStore.Exposure.REMOVED);
        }
        if (!unprotected) {
            plan.canaries().keySet().stream().filter(inside::containsKey)
                    .forEach(name -> exposure.put(name, EventStore.Exposure.DECOY));
        }
        return exposure;
    }

    /**
     * What the project looks like to the sandbox.
     *
     * @param cargoConfigs the Cargo configuration files the build reads (scrubbed of tokens for it)
     */
    public record Layout(Path root, List<Path> visible, Path targetDir, List<Path> cargoConfigs,
                         Function<String, String> packageName) {

        /**
         * A locked project: its root, directory sources (vendored crates) and path dependencies are visible; crate
         * names in the trace (with {@code _}) map back to the lockfile's spelling.
         */
        public static Layout of(Project project) {
            List<Path> visible = new ArrayList<>(List.of(project.root()));
            for (SourceDefinition source : project.config().sources().values()) {
                if (source.directory() != null) {
                    visible.add(source.directory().toAbsolutePath().normalize());
                }
            }
            for (Manifest manifest : project.otherLocal()) {
                visible.add(manifest.directory());
            }
            Map<String, String> names = new HashMap<>();
            for (LockedPackage pkg : project.lockfile().packages()) {
                names.putIfAbsent(crateKey(pkg.name()), pkg.name());
            }
            Path target = project.config().targetDir() != null ? project.config().targetDir()
                    : project.root().resolve("target");
            return new Layout(project.root(), visible, target, project.config().files(),
                    name -> names.getOrDefault(crateKey(name), name));
        }

        private static String crateKey(String name) {
            return name.toLowerCase(Locale.ROOT).replace('-', '_');
        }
    }

    /**
     * The outcome.
     *
     * @param exitCode    the build command's own exit status
     * @param unmonitored why the monitor lost sight of the build (the build was then killed), or null: a result
     *                    with a reason here is never clean
     */
    public record Result(long buildId, int exitCode, String protection, List<String> removedVariables,
                         List<BuildEvent> events, List<Finding> findings, Metrics metrics, StoreLocation log,
                         String unmonitored) {

        public Result {
            removedVariables = List.copyOf(removedVariables);
            events = List.copyOf(events);
            findings = List.copyOf(findings);
        }
    }

    /**
     * The Expose metrics of one build.
     *
     * @param blockedEgress      connections, packets and DNS queries that the sandbox stopped
     * @param egressAlerts       alerts about egress (exfiltration, encoded queries, connection attempts)
     * @param firstSeenDomains   domains queried that no earlier build of the project queried
     * @param detectionLatencyMicros time from the first event that raised an alert to the alert; -1 without alerts
     */
    public record Metrics(int syscalls, int events, int blockedEgress, int egressAlerts, int firstSeenDomains,
                          long detectionLatencyMicros, long durationMillis) {
    }

    private static final Set<String> EGRESS_RULES = Set.of(ExposeRules.DNS_EXFILTRATION.code(),
            ExposeRules.DNS_ENCODED.code(), ExposeRules.DNS_MANY_SUBDOMAINS.code(), ExposeRules.EGRESS.code(),
            ExposeRules.NETWORK_TOOL.code());

    private BuildRunner() {
    }

    public static Result run(Layout layout, Environment env, LimitPolicy policy, Options options,
                             Consumer<String> output) {
        if (options.command().isEmpty()) {
            throw new WardenException("nothing to build: give the command after --, e.g. warden build -- cargo build "
                    + "--locked");
        }
        SandboxProbe.Capabilities found = SandboxProbe.probe(env);
        SandboxProbe.Kind kind = options.noSandbox() ? SandboxProbe.Kind.NONE : found.sandbox();
        if (!options.noSandbox() && (kind == SandboxProbe.Kind.NONE || found.tracer() == null)) {
            throw new WardenException("refusing to build: " + String.join("; ", found.problems())
                    + " (use --no-sandbox to build unprotected anyway)");
        }
        StoreLocation logFile = options.store();
        if (logFile instanceof StoreLocation.Sqlite sqlite
                && sqlite.file().toAbsolutePath().normalize().startsWith(layout.targetDir().toAbsolutePath().normalize())) {
            throw new WardenException(sqlite.file() + ": the event store must lie outside what the build can write ("
                    + layout.targetDir() + "); drop --store or point it elsewhere");
        }
        Path runDir;
        try {
            // Named for nothing in particular: the build can read its mount table, where these paths show.
            runDir = RunDirectory.create("build-");
        } catch (IOException e) {
            throw new WardenException("cannot create a working directory: " + e.getMessage());
        }
        Path home = env.homeDirectory();
        Path rustupHome = env.variable("RUSTUP_HOME").map(env::resolve).orElse(home.resolve(".rustup"));
        SandboxPlan plan = new SandboxPlan(new SandboxPlan.Inputs(layout.root(), layout.visible(), layout.targetDir(),
                home, env.cargoHome(), rustupHome, env.variables(), policy, options.allowEnv(), layout.cargoConfigs(),
                runDir));
        Path workdir = env.workingDirectory();
        Path trace = runDir.resolve("trace");
        List<String> command = new ArrayList<>(SandboxProbe.dieWithWarden(env));
        if (kind == SandboxProbe.Kind.BUBBLEWRAP) {
            plan.prepare();
            // bubblewrap reads the seccomp program from a descriptor: the shell opens it and becomes the tracer.
            command.addAll(List.of("/bin/sh", "-c", "exec \"$@\" " + SandboxPlan.SECCOMP_FD + "<\"$0\"",
                    plan.seccompProgram().toString()));
        }
        if (found.tracer() != null) {
            command.addAll(List.of(found.tracer(), "-f", "-q", "-ttt", "-xx", "-s", "4096", "--pidns-translation"));
            if (found.seccompBpf()) {
                command.add("--seccomp-bpf");
            }
            command.addAll(List.of("-e", "trace=" + TRACED, "-e", "signal=SIGSYS", "-o", trace.toString()));
        }
        command.addAll(kind == SandboxProbe.Kind.BUBBLEWRAP ? plan.bubblewrap(options.command(), workdir)
                : options.command());
        String protection = options.noSandbox() ? "NONE: --no-sandbox was given, nothing is protected; monitor: "
                + (found.tracer() == null ? "none" : "strace")
                : new SandboxProbe.Capabilities(kind, found.tracer(), found.seccompBpf(), List.of()).describe();

        Map<String, String> secrets = plan.canaries();
        Redactor redactor = new Redactor(plan.realSecrets(), secrets.values());
        String project = layout.root().toString();
        try (EventStore store = EventStore.open(logFile, env.cacheDirectory())) {
            Instant started = env.clock().instant();
            long build = store.startBuild(new EventStore.BuildStart(project,
                    redactor.text(String.join(" ", options.command())), protection, started, RunTags.of(env)));
            store.flushEvery(Duration.ofSeconds(1), env.clock());
            Map<String, EventStore.Exposure> exposure = exposure(env.variables(), kind == SandboxProbe.Kind.NONE, plan);
            store.recordEnvironment(build, exposure);
            Set<String> knownExecutables = store.baseline(project, "exec");
            Set<String> knownDomains = store.baseline(project, "domain");
            Detector detector = new Detector(secrets, redactor, knownExecutables);
            List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
            List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
            long[] firstLatency = {-1};
            Map<String, Boolean> domains = new HashMap<>();
            Consumer<BuildEvent> sink = raw -> {
                // Judged as it happened, kept and shown only with real secrets masked.
                Optional<Finding> alert = detector.judge(raw);
                BuildEvent event = redactor.event(raw);
                events.add(event);
                store.add(build, event);
                if (alert.isPresent()) {
                    long now = nowMicros();
                    long latency = Math.max(0, now - event.micros());
                    findings.add(alert.get());
                    store.alert(build, alert.get(), now, latency);
                    if (firstLatency[0] < 0) {
                        firstLatency[0] = latency;
                    }
                }
                if (event.kind() == BuildEvent.Kind.DNS) {
                    String domain = DnsQuery.ofName(event.target()).domain();
                    domains.putIfAbsent(domain, !knownDomains.contains(domain));
                }
            };
            ProcessTracker processes = new ProcessTracker(layout.packageName(), new ProcessTracker.Places(
                    layout.targetDir().toString(), List.of(layout.targetDir().toString(), "/tmp", "/dev/shm"),
                    workdir.toString()));
            BuildMonitor monitor = new BuildMonitor(processes, new BuildMonitor.Paths(plan.sensitivePaths(),
                    plan.writablePaths(), plan.persistencePaths(), UNIX_ALLOWED), sink);
            // Unprotected builds keep the caller's environment: that is what --no-sandbox means.
            Map<String, String> environment = kind == SandboxProbe.Kind.NONE ? env.variables() : plan.environment();
            Execution execution = execute(command, workdir, environment, trace, found.tracer() != null, monitor,
                    redactor, output);
            int exitCode = execution.status();
            String unmonitored = execution.unmonitored();
            if (unmonitored != null) {
                findings.add(new Finding(ExposeRules.UNMONITORED, null, null, "the build was killed: " + unmonitored
                        + "; what it did after that is unknown", List.of(new Evidence("monitor", 0, null))));
            }
            if (options.noSandbox()) {
                findings.add(new Finding(ExposeRules.UNPROTECTED, null, null, "the build ran without a sandbox: its "
                        + "code saw the real environment, files and network", List.of(new Evidence("--no-sandbox", 0,
                        null))));
            }
            boolean clean = exitCode == 0 && findings.isEmpty();
            store.finishBuild(build, env.clock().instant(), exitCode, clean);
            if (clean) {
                Set<String> executables = new LinkedHashSet<>();
                for (BuildEvent event : events) {
                    if (event.kind() == BuildEvent.Kind.EXEC && !event.blocked() && event.actor().role().untrusted()) {
                        executables.add(event.target());
                    }
                }
                store.learn(project, build, "exec", executables);
            }
            int blocked = (int) events.stream().filter(e -> e.kind() == BuildEvent.Kind.DNS
                    || (e.kind() == BuildEvent.Kind.CONNECT || e.kind() == BuildEvent.Kind.SEND) && e.blocked())
                    .count();
            int egressAlerts = (int) findings.stream().filter(f -> EGRESS_RULES.contains(f.id())).count();
            int firstSeen = (int) domains.values().stream().filter(b -> b).count();
            Instant finished = env.clock().instant();
            Metrics metrics = new Metrics(monitor.syscalls(), events.size(), blocked, egressAlerts, firstSeen,
                    firstLatency[0], Duration.between(started, finished).toMillis());
            try (MetricLog history = MetricLog.open(logFile, env)) {
                history.record(project, finished, "build#" + build, List.of(
                        MetricLog.Measurement.of(Metric.SANDBOXED,
                                options.noSandbox() || kind == SandboxProbe.Kind.NONE ? 0 : 1),
                        MetricLog.Measurement.of(Metric.SECRETS_EXPOSED, exposure.values().stream()
                                .filter(e -> e == EventStore.Exposure.REAL).count()),
                        MetricLog.Measurement.of(Metric.BLOCKED_EGRESS, blocked),
                        MetricLog.Measurement.of(Metric.EGRESS_ALERTS, egressAlerts),
                        MetricLog.Measurement.of(Metric.FIRST_SEEN_DNS, firstSeen)));
            }
            return new Result(build, exitCode, protection, plan.removedVariables(), events, findings, metrics,
                    logFile, unmonitored);
        } finally {
            Directories.deleteQuietly(runDir);
        }
    }

    /** How the command ended, and whether the monitor saw all of it. */
    private record Execution(int status, String unmonitored) {
    }

    /**
     * Runs the command, feeding the trace to the monitor while it grows. A watchdog kills the build when the trace
     * reader stops; a trace without the end of the build means the tracer was stopped. Either way the build is
     * unmonitored, never clean.
     */
    private static Execution execute(List<String> command, Path workdir, Map<String, String> environment, Path trace,
                                     boolean traced, BuildMonitor monitor, Redactor redactor, Consumer<String> output) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new WardenException("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        Thread pump = Thread.ofPlatform().daemon().start(() -> pump(process.getInputStream(),
                line -> output.accept(redactor.text(line))));
        TraceFollower follower = traced ? new TraceFollower(trace, monitor::accept) : null;
        String unmonitored = null;
        try {
            while (!process.waitFor(WATCHDOG_MILLIS, TimeUnit.MILLISECONDS)) {
                if (follower != null && follower.stopped()) {
                    unmonitored = "the trace reader stopped (" + follower.why() + ")";
                    kill(process);
                }
            }
            int status = process.waitFor();
            pump.join();
            if (follower != null) {
                String failure = follower.finish();
                if (unmonitored == null && failure != null) {
                    unmonitored = "the trace reader failed (" + failure + ")";
                }
                monitor.finish(nowMicros());
                if (unmonitored == null && !monitor.sawTheEnd()) {
                    unmonitored = "the tracer stopped before the build ended (exit " + status + ")";
                }
            }
            return new Execution(status, unmonitored);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new WardenException("interrupted: the build was stopped");
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void pump(InputStream stream, Consumer<String> output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.accept(line);
            }
        } catch (IOException e) {
            output.accept("warden: build output lost: " + e.getMessage());
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
