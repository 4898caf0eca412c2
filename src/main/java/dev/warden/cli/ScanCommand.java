package dev.warden.cli;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Severity;
import dev.warden.evaluate.scan.CoverageCheck;
import dev.warden.evaluate.scan.CrateScanner;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.SourceAcquisition;
import dev.warden.evaluate.source.TreeLimits;
import dev.warden.metrics.Measurements;
import dev.warden.report.Format;
import dev.warden.report.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "scan", description = {
    "Read crate sources and report what their code can do before anything is built: secret reads, network,",
    "process spawns, credential paths, encoding, native code, unsafe counts and the hygiene of the files shipped."})
final class ScanCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = {
        "A .crate file, an unpacked crate directory (no Cargo.lock), or a project: then every locked package,",
        "from this machine (members, vendored, Cargo's cache) or downloaded from its registry and verified",
        "against the lockfile (unless --offline). Default: current directory."})
    String path;

    @Option(names = "--fail-level", paramLabel = "SEVERITY", defaultValue = "high",
            description = "Fail on findings at or above this severity (default: ${DEFAULT-VALUE}).")
    Severity failLevel;

    @Mixin
    SourcesOption sources;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Path target = context.directory(path);
        ProjectScan.Result result;
        if (Files.isRegularFile(target) && target.getFileName().toString().endsWith(".crate")) {
            result = ProjectScan.Result.single(CrateScanner.scan(CrateArchive.read(target, TreeLimits.DEFAULT),
                    true, null));
        } else if (Files.isDirectory(target) && !Files.exists(target.resolve("Cargo.lock"))
                && Files.isRegularFile(target.resolve("Cargo.toml")) && isPackage(target)) {
            result = ProjectScan.Result.single(CrateScanner.scan(CrateDirectory.read(target, TreeLimits.DEFAULT),
                    false, null));
        } else {
            Project project = context.project(path);
            ScannedCrates crates = ScannedCrates.of(SourceAcquisition.forProject(project, context.env(),
                    sources.offline), project.lockfile().packages(), SourcesOption.progress(context.err()));
            result = ProjectScan.of(crates, new CoverageCheck().run(new CheckContext(project,
                    context.graph(project), Change.whole(project.lockfile()), crates, context.env())));
            store.record(context, project, "scan", Measurements.scan(result));
        }
        Verdict verdict = Verdict.atOrAbove(result.findings(), failLevel);
        context.emit(out -> {
            if (format == Format.JSON) {
                ScanReport.json(result, verdict, out);
            } else {
                ScanReport.text(result, verdict, out);
            }
        });
        return verdict.blocked() ? Outcome.FINDINGS : Outcome.OK;
    }

    /** An unpacked crate rather than a workspace: its manifest has a [package] and it is not a workspace root. */
    private static boolean isPackage(Path dir) {
        Manifest manifest = ManifestParser.parse(dir.resolve("Cargo.toml"));
        return manifest.pkg() != null && manifest.workspace() == null;
    }
}
