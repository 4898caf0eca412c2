package dev.warden.cli;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.repository.RepositoryCache;
import dev.warden.evaluate.repository.RepositoryCheck;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.recon.publishers.RegistryData;
import dev.warden.report.Format;
import dev.warden.report.FindingsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "provenance", description = {
    "Can each crate be traced to its code? Its repository URL, the one crates.io lists, and with --repo-cache the",
    "published files compared with the commit .cargo_vcs_info.json names (files only in the package are listed)."})
final class ProvenanceCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "The project (default: current "
            + "directory).")
    String path;

    @Option(names = "--fail-level", paramLabel = "SEVERITY", defaultValue = "high",
            description = "Fail on findings at or above this severity (default: ${DEFAULT-VALUE}).")
    Severity failLevel;

    @Mixin
    RepoCacheOption repoCache;

    @Mixin
    RegistryDataOption registryData;

    @Mixin
    SourcesOption sources;

    @Mixin
    SarifOption sarif;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON, Format.SARIF, Format.MARKDOWN);
        Project project = context.project(path);
        RepositoryCache cache = repoCache.open(context.env(), sources.offline || project.config().offline());
        ScannedCrates crates = sources.thirdParty(project, context);
        List<Finding> findings;
        Map<String, String> details = new LinkedHashMap<>();
        try (RegistryData registry = registryData.open(context.env()).orElse(null)) {
            findings = new RepositoryCheck(registry == null ? RepositoryCheck.RegisteredRepositories.NONE
                    : registry::repositories, cache).run(new CheckContext(project, context.graph(project),
                    Change.whole(project.lockfile()), crates, context.env()));
            details.put("crates read", crates.scans().size() + " of " + project.lockfile().packages().stream()
                    .filter(p -> p.source() != null && p.source().isRegistry()).count() + " from registries");
            details.put("registry repositories", RegistryDataOption.describe(registry));
        }
        details.put("compared with repositories", cache == null ? "no (--repo-cache DIR, --fetch-repositories)"
                : cache.describe());
        details.put("fail level", failLevel.label());
        Verdict verdict = Verdict.atOrAbove(findings, failLevel);
        String lockfile = project.display(project.lockfile().path());
        context.emitFindings(format, "provenance", new FindingsReport.Subject(lockfile, details), verdict, sarif,
                lockfile);
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }
}
