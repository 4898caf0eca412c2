package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.check.Verdict;
import dev.warden.core.Severity;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.recon.churn.Churn;
import dev.warden.recon.churn.ChurnFindings;
import dev.warden.metrics.Measurements;
import dev.warden.recon.churn.LockfileHistory;
import dev.warden.recon.churn.RepositoryChurn;
import dev.warden.report.ChurnReport;
import dev.warden.report.Format;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "churn", description = {
    "How much changes, and who changes it: the project's own Cargo.lock history, or a crate's repository",
    "(--repo): commits, authors new in the window, release cadence, and who wrote a release (--from/--to)."})
final class ChurnCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project whose Cargo.lock history to read (default: current directory).")
    String path;

    @Option(names = "--repo", paramLabel = "PATH|URL",
            description = "A crate's repository: a local checkout, or a git URL cloned into Warden's cache.")
    String repo;

    @Option(names = "--from", paramLabel = "REV", description = "With --repo: measure the change from this revision…")
    String from;

    @Option(names = "--to", paramLabel = "REV", description = "…to this one (default: HEAD).")
    String to;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "90d",
            description = "How far back is recent (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--max-commits", paramLabel = "N", defaultValue = "200",
            description = "Lockfile history: read at most this many commits (default: ${DEFAULT-VALUE}).")
    int maxCommits;

    @Option(names = "--fail-level", paramLabel = "SEVERITY", defaultValue = "high",
            description = "Fail on findings at or above this severity (default: ${DEFAULT-VALUE}).")
    Severity failLevel;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Severity level = failLevel;
        Duration window = PolicyLoader.duration("--since", since);
        Instant now = context.env().clock().instant();
        if (repo == null) {
            Project project = context.project(path);
            LockfileHistory history = LockfileHistory.read(project.lockfile().path(), now.minus(window), maxCommits);
            store.record(context, project, "churn", Measurements.churn(history, now.minus(window), now, maxCommits));
            context.emit(out -> {
                if (format == Format.JSON) {
                    ChurnReport.json(history, out);
                } else {
                    ChurnReport.text(history, window.toDays(), out);
                }
            });
            return Outcome.OK;
        }
        try (Repository repository = RepositoryChurn.open(repo, context.env().workingDirectory(),
                context.env().cacheDirectory())) {
            Churn churn = RepositoryChurn.analyze(repository, repo, now, window, from, to);
            Verdict verdict = Verdict.atOrAbove(ChurnFindings.of(churn, now, window), level);
            context.emit(out -> {
                if (format == Format.JSON) {
                    ChurnReport.json(churn, verdict, out);
                } else {
                    ChurnReport.text(churn, verdict, window.toDays(), out);
                }
            });
            return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
        }
    }
}
