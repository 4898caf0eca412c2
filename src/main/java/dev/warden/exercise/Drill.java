package dev.warden.exercise;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.change.Base;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.index.LocalIndexCache;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.project.LocalSources;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.core.Directories;
import dev.warden.core.Environment;
import dev.warden.core.Finding;
import dev.warden.core.RunDirectory;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.DnsQuery;
import dev.warden.expose.ExfiltrationSignals;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;
import dev.warden.fortify.gate.GateRun;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.limit.BuildRunner;
import dev.warden.limit.SandboxProbe;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.metrics.SupplyChainReport;
import dev.warden.recon.typosquat.PopularCrates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code warden drill}: replays real supply-chain attacks end to end and scores the defence. For each scenario it
 * builds a throw-away world (registries on loopback, a project, its own Cargo home), lets the attack in the way it
 * happens (an update, a new dependency), then runs the gate and the sandboxed, monitored build with marked fake
 * secrets in the environment. The scorecard says which stage caught what, whether any fake secret left the sandbox,
 * the time from the malicious publish to detection (MTTD) and from detection to a verified recovery (MTTR). A control
 * build of the same code without Warden, with its DNS pointed at a sinkhole, shows that the drill's attacks are real.
 */
public final class Drill {

    /**
     * @param control  also build without Warden against a sinkhole, to show the payload really leaks
     * @param workspace where to build the drill's world (null: a temporary directory, removed unless {@code keep})
     */
    public record Options(boolean keep, boolean control, Path workspace, List<String> only) {

        public Options {
            only = List.copyOf(only);
        }
    }

    /** A check that blocked, with what it found. */
    public record Catch(String check, String rule, String crate, String severity) {

        @Override
        public String toString() {
            return check + ": " + rule + (crate == null ? "" : " (" + crate + ")");
        }
    }

    /** One response step and when it finished, counted from detection. */
    public record Step(String action, long afterMillis, boolean succeeded) {
    }

    /**
     * The score of one scenario.
     *
     * @param controlLeaked whether the same build without Warden sent a fake secret to the sinkhole (null: not run)
     */
    /**
     * One scenario's outcome.
     *
     * @param store the scenario's store of gate decisions and build events (beside its project, which its builds
     *              cannot write): {@code warden ir CRATE --store FILE} on a kept workspace
     */
    public record ScenarioResult(String name, String title, boolean caught, List<Catch> caughtBy, boolean canaryLeaked,
                                 Boolean controlLeaked, long mttdMillis, long mttrMillis, List<Step> response,
                                 String controlNote, Path store) {

        public ScenarioResult {
            caughtBy = List.copyOf(caughtBy);
            response = List.copyOf(response);
        }
    }

    public record Result(List<ScenarioResult> scenarios, Path workspace, String protection) {

        public Result {
            scenarios = List.copyOf(scenarios);
        }

        public double successRate() {
            return scenarios.isEmpty() ? 0 : (double) scenarios.stream().filter(s -> s.caught() && !s.canaryLeaked())
                    .count() / scenarios.size();
        }

        public boolean passed() {
            return !scenarios.isEmpty() && successRate() == 1.0;
        }
    }

    static final List<Scenario> SCENARIOS = List.of(new Scenario.Typosquat(), new Scenario.CompromisedMaintainer(),
            new Scenario.DependencyConfusion());

    private Drill() {
    }

    public static List<String> scenarioNames() {
        return SCENARIOS.stream().map(Scenario::name).toList();
    }

    /** Where drills keep their history: they exercise the team and Warden, not one project. */
    public static Path historyStore(Environment env) {
        return env.stateDirectory().resolve("drills").resolve("events.db");
    }

    /**
     * Records a drill's exercise metrics in {@link #historyStore}: per scenario whether it was caught, MTTD and MTTR
     * (each also for the period's figures, which average over scenarios and drills).
     */
    public static void record(Result result, Environment env, Instant at) {
        List<MetricLog.Measurement> measurements = new ArrayList<>();
        for (ScenarioResult scenario : result.scenarios()) {
            for (String subject : Arrays.asList(null, scenario.name())) {
                measurements.add(new MetricLog.Measurement(Metric.DRILL_SUCCESS, subject, scenario.caught() ? 1 : 0));
                if (scenario.mttdMillis() >= 0) {
                    measurements.add(new MetricLog.Measurement(Metric.MTTD, subject, scenario.mttdMillis() / 1000.0));
                }
                if (scenario.mttrMillis() >= 0) {
                    measurements.add(new MetricLog.Measurement(Metric.MTTR, subject, scenario.mttrMillis() / 1000.0));
                }
            }
        }
        try (MetricLog log = MetricLog.open(historyStore(env), env.cacheDirectory())) {
            log.record(SupplyChainReport.DRILLS, at, "drill", measurements);
        }
    }

    public static Result run(Environment env, Options options, Consumer<String> progress) {
        List<Scenario> chosen = SCENARIOS.stream().filter(s -> options.only().isEmpty()
                || options.only().contains(s.name())).toList();
        if (chosen.isEmpty()) {
            throw new WardenException("no such scenario: " + String.join(", ", options.only()) + " (known: "
                    + String.join(", ", scenarioNames()) + ")");
        }
        SandboxProbe.Capabilities capabilities = SandboxProbe.probe(env);
        if (capabilities.sandbox() == SandboxProbe.Kind.NONE || capabilities.tracer() == null) {
            throw new WardenException("the drill needs the build sandbox: " + String.join("; ",
                    capabilities.problems()));
        }
        Path root = options.workspace() != null ? options.workspace() : temporary();
        List<ScenarioResult> results = new ArrayList<>();
        try {
            for (Scenario scenario : chosen) {
                progress.accept("drill: " + scenario.name() + " — " + scenario.title());
                results.add(runScenario(scenario, root.resolve(scenario.name()), env, options, progress));
            }
        } finally {
            if (options.workspace() == null) {
                if (options.keep()) {
                    RunDirectory.keep(root);
                } else {
                    Directories.deleteQuietly(root);
                }
            }
        }
        return new Result(results, options.keep() ? root : null, capabilities.describe());
    }

    private static ScenarioResult runScenario(Scenario scenario, Path root, Environment env, Options options,
                                              Consumer<String> progress) {
        Map<String, String> toolchain = toolchain(env);
        Map<String, String> canaries = canaries();
        try (DrillWorkspace ws = new DrillWorkspace(root, toolchain)) {
            scenario.setUp(ws);
            ws.cargo("fetch", "--locked");
            ws.snapshot();
            Path base = root.resolve("Cargo.lock.base");
            ws.copyLockfile(base);

            Instant published = scenario.attack(ws);
            scenario.update(ws);
            ws.cargo("fetch", "--locked");

            Environment inProject = env.withWorkingDirectory(ws.app()).withVariables(drillVariables(toolchain, ws,
                    canaries));
            Project project = new ProjectLoader(inProject).load(ws.app().toString());
            Policy policy = PolicyLoader.forProject(project.root());
            LocalSources sources = LocalSources.of(project, inProject);
            // Offline: `cargo fetch` above put every crate of both lockfiles in the workspace's Cargo home.
            Gate.Result gate = GateRun.call(project, GraphBuilder.build(project, sources::manifest), inProject,
                    new GateRun.Options(policy, AdvisorySources.select(List.of(), inProject),
                            new LocalIndexCache(inProject.cargoHome()), PopularCrates.of(policy.recon()),
                            new Base(LockfileParser.parse(base), "Cargo.lock (before the change)"), true,
                            p -> { }, null, null, null, null));
            Instant detected = gate.blocked() ? Instant.now() : null;
            progress.accept("  gate: " + (gate.blocked() ? "blocked" : "passed"));

            StoreLocation store = new StoreLocation.Sqlite(root.resolve("events.db"));
            BuildRunner.Result build = BuildRunner.run(BuildRunner.Layout.of(project), inProject, policy.limit(),
                    new BuildRunner.Options(List.of("cargo", "build", "--locked"), List.of(), false, store),
                    line -> { });
            gate = Gate.withBuild(gate, build.findings(), policy, GateRun.today(inProject));
            if (detected == null && gate.blocked()) {
                detected = Instant.now();
            }
            // Next to the build's events, so that `warden ir` on a kept workspace sees the whole story.
            try (DecisionLog log = DecisionLog.open(build.log(), env.cacheDirectory())) {
                log.record(Instant.now(), project, "Cargo.lock (before the change)", gate);
            }
            boolean leaked = leaked(build.events(), canaries);
            progress.accept("  sandboxed build: " + build.findings().size() + " alerts; fake secrets "
                    + (leaked ? "LEFT the sandbox" : "stayed in"));

            Path attacked = root.resolve("control/app");
            ws.copyProject(attacked);
            List<Step> response = new ArrayList<>();
            long mttr = -1;
            if (detected != null) {
                response.add(new Step("block the change: the gate exits 1 and the pull request cannot merge",
                        0, true));
                ws.revert();
                response.add(new Step("revert the dependency change: manifests and Cargo.lock back to the base "
                        + "(versions it pins stay usable with --locked even if yanked since)",
                        Duration.between(detected, Instant.now()).toMillis(), true));
                BuildRunner.Result rebuilt = BuildRunner.run(BuildRunner.Layout.of(new ProjectLoader(inProject)
                                .load(ws.app().toString())), inProject, policy.limit(),
                        new BuildRunner.Options(List.of("cargo", "build", "--locked"), List.of(), false, store),
                        line -> { });
                boolean clean = rebuilt.exitCode() == 0 && rebuilt.findings().isEmpty();
                mttr = Duration.between(detected, Instant.now()).toMillis();
                response.add(new Step("rebuild with --locked in the sandbox: " + (clean ? "clean, no alert"
                        : rebuilt.findings().size() + " alerts, exit " + rebuilt.exitCode()), mttr, clean));
                response.add(new Step(leaked ? "rotate the exposed secrets: a fake value left the sandbox"
                        : "rotate nothing: only decoys reached the malicious code", mttr, !leaked));
            }
            Boolean controlLeaked = null;
            String controlNote = "not run";
            if (options.control()) {
                // After the response, so that recovery is timed on its own; on the attack's lockfile again.
                Control control = control(ws, attacked, toolchain, canaries, capabilities(env));
                controlLeaked = control.leaked();
                controlNote = control.note();
                progress.accept("  without Warden: " + controlNote);
            }

            List<Catch> caught = new ArrayList<>();
            for (Gate.CheckResult check : gate.checks()) {
                for (Finding finding : check.blocking()) {
                    caught.add(new Catch(check.check(), finding.id(), finding.crate(), finding.severity().label()));
                }
            }
            long mttd = detected == null ? -1 : Duration.between(published, detected).toMillis();
            return new ScenarioResult(scenario.name(), scenario.title(), gate.blocked(), caught, leaked,
                    controlLeaked, mttd, mttr, response, controlNote, root.resolve("events.db"));
        }
    }

    /** The environment the drill's builds see: the toolchain, the workspace's Cargo home and the marked fakes. */
    private static Map<String, String> drillVariables(Map<String, String> toolchain, DrillWorkspace ws,
                                                      Map<String, String> canaries) {
        Map<String, String> variables = new LinkedHashMap<>(toolchain);
        variables.put("CARGO_HOME", ws.cargoHome().toString());
        variables.putAll(canaries);
        return variables;
    }

    /** Marked fake secrets: obviously fake to a human, shaped enough to pass a payload's checks. */
    private static Map<String, String> canaries() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        String mark = HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
        return Map.of("AWS_SECRET_ACCESS_KEY", "WARDENDRILLFAKE" + mark + "AWS",
                "GITHUB_TOKEN", "ghp_WARDENDRILLFAKE" + mark);
    }

    /** Whether any fake secret appears in what the monitored build tried to send or run. */
    static boolean leaked(List<BuildEvent> events, Map<String, String> canaries) {
        for (BuildEvent event : events) {
            if (event.kind() == BuildEvent.Kind.DNS
                    && ExfiltrationSignals.secretIn(DnsQuery.ofName(event.target()).subdomain(), canaries).isPresent()) {
                return true;
            }
            String seen = event.target() + " " + event.detail();
            if (canaries.values().stream().anyMatch(seen::contains)) {
                return true;
            }
        }
        return false;
    }

    private record Control(Boolean leaked, String note) {
    }

    private static SandboxProbe.Capabilities capabilities(Environment env) {
        return SandboxProbe.probe(env);
    }

    /**
     * The same build without Warden: the caller's kind of environment (with the fakes, and a credentials file holding
     * one), in a network namespace of its own whose DNS goes to the sinkhole. What the sinkhole logs left the build.
     */
    private static Control control(DrillWorkspace ws, Path project, Map<String, String> toolchain,
                                   Map<String, String> canaries, SandboxProbe.Capabilities capabilities) {
        if (capabilities.sandbox() == SandboxProbe.Kind.NONE || !rootWithUnshare()) {
            return new Control(null, "not run (needs root and unshare for the sinkhole's network namespace)");
        }
        Path dir = ws.root().resolve("control");
        Path home = dir.resolve("home");
        DrillCrates.write(home, ".aws/credentials", "[default]\naws_secret_access_key = "
                + canaries.get("AWS_SECRET_ACCESS_KEY") + "\n");
        DrillCrates.write(dir, "resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
        Path log = dir.resolve("sinkhole.log");
        Path ready = dir.resolve("sinkhole.ready");
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = String.join("\n", "set -e", "ip link set lo up",
                "mount --bind '" + dir.resolve("resolv.conf") + "' /etc/resolv.conf",
                "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + Sinkhole.class.getName()
                        + " '" + log + "' '" + ready + "' &",
                "i=0; while [ ! -e '" + ready + "' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done",
                "exec cargo build --locked");
        List<String> command = new ArrayList<>(SandboxProbe.dieWithWarden(toolchain.get("PATH")));
        command.addAll(List.of("unshare", "--net", "--mount", "--pid", "--fork", "--kill-child=SIGKILL", "--",
                "/bin/sh", "-c", script));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(toolchain);
        builder.environment().putAll(canaries);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("CARGO_HOME", ws.cargoHome().toString());
        builder.environment().put("CARGO_TARGET_DIR", dir.resolve("target").toString());
        builder.environment().put("CARGO_NET_OFFLINE", "true");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Control(null, "timed out");
            }
            List<String> received = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
            boolean leaked = received.stream().anyMatch(name -> ExfiltrationSignals.secretIn(
                    DnsQuery.ofName(name).subdomain(), canaries).isPresent());
            if (!Files.exists(ready)) {
                return new Control(null, "the sinkhole did not start: " + output.strip());
            }
            return new Control(leaked, leaked ? "the sinkhole received the fake secret (" + received.size()
                    + " queries, e.g. " + received.getFirst() + ")" : "nothing reached the sinkhole ("
                    + received.size() + " queries)");
        } catch (IOException e) {
            return new Control(null, "could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Control(null, "interrupted");
        }
    }

    private static boolean rootWithUnshare() {
        try {
            Process probe = new ProcessBuilder("unshare", "--net", "--mount", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What cargo needs from the caller to run at all, and nothing else. */
    private static Map<String, String> toolchain(Environment env) {
        Map<String, String> variables = new LinkedHashMap<>();
        String path = env.variable("PATH").orElse("/usr/bin:/bin");
        Path rustupCargo = env.homeDirectory().resolve(".cargo/bin");
        boolean cargoOnPath = Arrays.stream(path.split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, "cargo")));
        if (!cargoOnPath && Files.isExecutable(rustupCargo.resolve("cargo"))) {
            path = rustupCargo + ":" + path; // rustup's usual place, when the shell has not added it
        }
        variables.put("PATH", path);
        variables.put("RUSTUP_HOME", env.variable("RUSTUP_HOME")
                .orElse(env.homeDirectory().resolve(".rustup").toString()));
        env.variable("RUSTUP_TOOLCHAIN").ifPresent(t -> variables.put("RUSTUP_TOOLCHAIN", t));
        variables.put("LANG", "C.UTF-8");
        return variables;
    }

    private static Path temporary() {
        try {
            return RunDirectory.create("warden-drill-");
        } catch (IOException e) {
            throw new WardenException("cannot create the drill's workspace: " + e.getMessage());
        }
    }
}
