package dev.warden.cli;

import dev.warden.cargo.index.LocalIndexCache;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.diff.DiffPolicy;
import dev.warden.evaluate.diff.LockfileRevision;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.evaluate.source.CrateLocator;
import dev.warden.fortify.policy.Policy;
import dev.warden.report.DiffReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diff", description = {
    "Review a dependency update for security: crates added, removed, upgraded or downgraded, source and checksum",
    "changes, new build scripts and proc macros, what new code can do that the old could not, unsafe growth,",
    "new crates pulled in by patch releases and newly matching advisories; with a risk score for the change."})
final class DiffCommand implements Callable<Outcome> {

    @Parameters(arity = "0..2", paramLabel = "OLD NEW", description = {
        "Two lockfiles or project directories; or git revisions of the project's Cargo.lock: REV1..REV2",
        "(REV1.. means REV1..HEAD), or one REV compared with the working tree. Default: HEAD vs working tree."})
    List<String> arguments = new ArrayList<>();

    @Option(names = "--project", paramLabel = "PATH",
            description = "The project whose Cargo.lock revisions are compared (default: current directory).")
    String projectPath;

    @Option(names = "--fail-level", paramLabel = "SEVERITY",
            description = "Fail on findings at or above this severity (default: [diff] fail-level, else high).")
    String failLevel;

    @Option(names = "--fail-score", paramLabel = "SCORE",
            description = "Also fail when the risk score (0-100) reaches this (default: [diff] fail-score).")
    Integer failScore;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    CommandContext context;

    /** One side of the diff: a project (for sources and advisories) locked by the lockfile to compare. */
    private record Side(Project project, String display) {
    }

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.MARKDOWN);
        Severity level = failLevel == null ? null : Severity.parse(failLevel);
        Integer score = failScore == null ? null : validScore(failScore);
        Side before;
        Side after;
        if (arguments.size() == 2) {
            before = fromPath(arguments.get(0));
            after = fromPath(arguments.get(1));
        } else {
            Project working = context.project(projectPath);
            String spec = arguments.isEmpty() ? "HEAD" : arguments.getFirst();
            int range = spec.indexOf("..");
            if (range >= 0) {
                before = atRevision(working, range == 0 ? "HEAD" : spec.substring(0, range));
                String end = spec.substring(range + 2);
                after = atRevision(working, end.isEmpty() ? "HEAD" : end);
            } else {
                before = atRevision(working, spec);
                after = new Side(working, working.display(working.lockfile().path()));
            }
        }
        Policy policy = policyOption.load(context.env(), after.project().root());
        DiffPolicy diffPolicy = new DiffPolicy(level == null ? policy.diff().failLevel() : level,
                score == null ? policy.diff().failScore() : score);

        SecurityDiff.Result result = SecurityDiff.review(side(before), side(after), advisories(after, policy));
        Verdict verdict = new Verdict(result.findings(), diffPolicy.blocking(result.findings(), result.risk()),
                List.of());
        DiffReport.Subject subject = new DiffReport.Subject(before.display(), after.display(),
                "fail level " + diffPolicy.failLevel().label()
                        + (diffPolicy.failScore() == null ? "" : ", fail score " + diffPolicy.failScore()));
        context.emit(out -> {
            switch (format) {
                case JSON -> DiffReport.json(subject, result, verdict, out);
                case MARKDOWN -> DiffReport.markdown(subject, result, verdict, out);
                default -> DiffReport.text(subject, result, verdict, out);
            }
        });
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    private Side fromPath(String path) {
        Project project = context.project(path);
        return new Side(project, context.env().workingDirectory().relativize(
                project.lockfile().path().toAbsolutePath().normalize()).toString());
    }

    private static Side atRevision(Project working, String revision) {
        Project locked = working.withLockfile(LockfileRevision.read(working.lockfile().path(), revision));
        return new Side(locked, locked.lockfile().path().toString());
    }

    private SecurityDiff.Side side(Side side) {
        CrateLocator locator = new CrateLocator(side.project(), context.env());
        return new SecurityDiff.Side(side.project().lockfile(), side.display(),
                pkg -> ProjectScan.scan(pkg, locator));
    }

    /** Advisories about the new lockfile, from the built-in data, under the project's audit policy. */
    private List<Finding> advisories(Side after, Policy policy) {
        AuditCheck audit = new AuditCheck(AdvisorySources.select(List.of(), context.env()), policy.audit(),
                new LocalIndexCache(context.env().cargoHome()));
        return audit.run(new CheckContext(after.project(), context.graph(after.project()), context.env()));
    }

    private static Integer validScore(int score) {
        if (score < 1 || score > 100) {
            throw new WardenException("--fail-score must be between 1 and 100, found " + score);
        }
        return score;
    }
}
