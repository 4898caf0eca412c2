package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.check.Verdict;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.expose.Redactor;
import dev.warden.fortify.policy.Policy;
import dev.warden.limit.BuildRunner;
import dev.warden.report.BuildReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "build", description = {
    "Run a build command (cargo build --locked, cargo test, cargo run …) in a sandbox without network, secrets,",
    "privileges or write access outside the target directory, while recording every exec, connection, DNS query,",
    "credential access and privileged call, attributed to the crate whose code made it (build scripts, proc",
    "macros, test binaries). Exfiltration, persistence and escape attempts are alerts; everything goes to the",
    "store, outside the project."})
final class BuildCommand implements Callable<Outcome> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The build command, after -- (default: cargo build --locked).")
    List<String> command = new ArrayList<>();

    @Option(names = "--project", paramLabel = "PATH", description = "The project to build (default: current directory).")
    String project;

    @Option(names = "--allow-env", paramLabel = "NAME",
            description = "Let this environment variable into the sandbox (repeatable).")
    List<String> allowEnv = new ArrayList<>();

    @Option(names = "--no-sandbox", description = "Build without a sandbox when none can be made: nothing is protected.")
    boolean noSandbox;

    @Option(names = "--allow-no-lockfile", description = "Build a project without Cargo.lock (dependencies unpinned).")
    boolean allowNoLockfile;

    @Option(names = "--fail-level", paramLabel = "SEVERITY",
            description = "Fail on alerts at or above this severity (default: [limit] fail-level, else high).")
    Severity failLevel;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Severity level = failLevel;
        Path dir = context.directory(project);
        BuildRunner.Layout layout = layout(dir);
        Policy policy = policyOption.load(context.env(), layout.root());
        List<String> argv = command.isEmpty() ? List.of("cargo", "build", "--locked") : command;
        if (noSandbox) {
            context.err().println("warden: WARNING: --no-sandbox: the build runs with your real environment, files "
                    + "and network. NOTHING IS PROTECTED.");
        }
        BuildRunner.Result result = BuildRunner.run(layout, context.env().withWorkingDirectory(layout.root()),
                policy.limit(), new BuildRunner.Options(argv, allowEnv, noSandbox, store.location(context.env(),
                        layout.root())),
                line -> context.err().println(line));
        context.err().flush();
        Verdict verdict = Verdict.atOrAbove(result.findings(), level != null ? level : policy.buildFailLevel());
        String log = result.log() instanceof StoreLocation.Sqlite sqlite
                && sqlite.file().toAbsolutePath().startsWith(context.env().workingDirectory())
                ? context.env().workingDirectory().relativize(sqlite.file().toAbsolutePath()).toString()
                : result.log().display();
        String commandLine = Redactor.shapesOnly().text(String.join(" ", argv));
        context.emit(out -> {
            if (format == Format.JSON) {
                BuildReport.json(commandLine, result, verdict, log, out);
            } else {
                BuildReport.text(commandLine, result, verdict, log, out);
            }
        });
        if (result.unmonitored() != null) {
            throw new WardenException("unmonitored: " + result.unmonitored() + "; the build was killed and nothing "
                    + "about it can be called clean");
        }
        if (verdict.blocked()) {
            return Outcome.FINDINGS;
        }
        if (result.exitCode() != 0) {
            throw new WardenException("the build failed (" + argv.getFirst() + " exited with " + result.exitCode()
                    + "); no alert was raised");
        }
        return Outcome.OK;
    }

    /** Where the build reads and writes, and how crate names in the trace map to the lockfile's. */
    private BuildRunner.Layout layout(Path dir) {
        if (!Files.isRegularFile(dir.resolve("Cargo.lock"))) {
            if (!allowNoLockfile) {
                throw new WardenException(dir.resolve("Cargo.lock") + ": no lockfile: refusing to build dependencies "
                        + "that are not pinned (run `cargo generate-lockfile` and review it, or pass --allow-no-lockfile)");
            }
            return new BuildRunner.Layout(dir, List.of(dir), dir.resolve("target"), List.of(), name -> name);
        }
        return BuildRunner.Layout.of(context.project(dir.toString()));
    }
}
