package dev.warden.cli;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.BaseResolver;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.change.LockfileRevision;
import dev.warden.cargo.index.LocalIndexCache;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.diff.DiffPolicy;
import dev.warden.evaluate.diff.SecurityDiff;
import dev.warden.evaluate.scan.CoverageCheck;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.SourceAcquisition;
import dev.warden.fortify.policy.Policy;
import dev.warden.report.DiffReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    Severity failLevel;

    @Option(names = "--fail-score", paramLabel = "SCORE",
            description = "Also fail when the risk score (0-100) reaches this (default: [diff] fail-score).")
    Integer failScore;

    @Mixin
    SourcesOption sources;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.MARKDOWN);
        Severity level = failLevel;
        Integer score = failScore == null ? null : validScore(failScore);
        Base before;
        Project after;
        String afterDisplay;
        if (arguments.size() == 2) {
            before = BaseResolver.resolve(arguments.get(0), context.env().resolve(arguments.get(0)), context.env());
            after = context.project(arguments.get(1));
            afterDisplay = context.env().workingDirectory().relativize(after.lockfile().path().toAbsolutePath()
                    .normalize()).toString();
        } else {
            Project working = context.project(projectPath);
            String spec = arguments.isEmpty() ? "HEAD" : arguments.getFirst();
            int range = spec.indexOf("..");
            Path lockfile = working.lockfile().path();
            if (range >= 0) {
                before = BaseResolver.resolve(range == 0 ? "HEAD" : spec.substring(0, range), lockfile,
                        context.env());
                String end = spec.substring(range + 2);
                after = working.withLockfile(LockfileRevision.read(lockfile, end.isEmpty() ? "HEAD" : end));
                afterDisplay = after.lockfile().path().toString();
            } else {
                before = BaseResolver.resolve(spec, lockfile, context.env());
                after = working;
                afterDisplay = working.display(lockfile);
            }
        }
        Policy policy = policyOption.load(context.env(), after.root());
        DiffPolicy diffPolicy = new DiffPolicy(level == null ? policy.diff().failLevel() : level,
                score == null ? policy.diff().failScore() : score);

        Change change = Change.between(before, after.lockfile());
        ScannedCrates crates = ScannedCrates.of(SourceAcquisition.forProject(after, context.env(),
                sources.offline || policy.gate().offline()), change.codeToRead(), SourcesOption.progress(context.err()));
        CheckContext checks = new CheckContext(after, context.graph(after), change, crates, context.env());
        List<Finding> others = new ArrayList<>(newAdvisories(checks, policy));
        others.addAll(new CoverageCheck().run(checks));
        SecurityDiff.Result result = SecurityDiff.review(checks, afterDisplay).withRelated(others);
        List<Finding> findings = new ArrayList<>(result.findings());
        findings.addAll(others);
        Verdict verdict = new Verdict(findings, diffPolicy.blocking(findings, result.risk()), List.of());
        DiffReport.Subject subject = new DiffReport.Subject(before.display(), afterDisplay,
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

    /**
     * Advisories about the versions the change brings that the base did not already have (the gate's rule: see
     * {@link AuditCheck#heldInBase}), from the built-in data, under the project's audit policy.
     */
    private List<Finding> newAdvisories(CheckContext checks, Policy policy) {
        AuditCheck audit = new AuditCheck(AdvisorySources.select(List.of(), context.env()), policy.audit(),
                new LocalIndexCache(context.env().cargoHome()));
        Map<String, LockedPackage> brought = new HashMap<>();
        checks.change().brought().forEach(p -> brought.put(p.id().nameAndVersion(), p));
        return audit.run(checks).stream().filter(f -> {
            LockedPackage pkg = brought.get(f.crate() + " " + f.version());
            return pkg != null && !audit.heldInBase(f, checks.change());
        }).toList();
    }

    private static Integer validScore(int score) {
        if (score < 1 || score > 100) {
            throw new WardenException("--fail-score must be between 1 and 100, found " + score);
        }
        return score;
    }
}
