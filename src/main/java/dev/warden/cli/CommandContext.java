package dev.warden.cli;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.graph.TargetPlatform;
import dev.warden.cargo.project.LocalSources;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.Verdict;
import dev.warden.core.AtomicFiles;
import dev.warden.core.Environment;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import dev.warden.report.FindingsReport;
import dev.warden.report.Format;
import dev.warden.report.SarifReport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Options and plumbing every command shares: {@code --format}, output streams and the environment seam. */
final class CommandContext {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text, json, and for checks also sarif and markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (replaced atomically) instead of standard output.")
    Path output;

    @Option(names = "--manifest-path", paramLabel = "PATH",
            description = "The project's Cargo.toml, as cargo takes it (instead of PATH).")
    String manifestPath;

    @Option(names = {"-p", "--package"}, paramLabel = "SPEC",
            description = "Judge only this package (NAME or NAME@VERSION, usually a workspace member) and what it depends on.")
    String pkg;

    @Option(names = "--target", paramLabel = "TRIPLE", description = {
        "Judge the graph one platform builds: dependencies declared for other platforms",
        "([target.'cfg(windows)'.dependencies]) and what only they pull in are left out; 'all' keeps every platform",
        "(default: all; for tree, the host platform, as cargo tree)."})
    String target;

    Environment env() {
        return ((Main) spec.root().userObject()).env();
    }

    /**
     * Writes the report to standard output, or to {@code --output}: rendered into a temporary file next to it and
     * moved into place, so a failed run never leaves a half-written report behind.
     */
    void emit(Consumer<PrintWriter> report) {
        if (output == null) {
            report.accept(spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return;
        }
        write(output, report);
    }

    /**
     * A findings command's report in the chosen format: text, JSON, Markdown, or SARIF with {@code sarifLocation}
     * for findings that name no file.
     */
    void emitFindings(Format chosen, String command, FindingsReport.Subject subject, Verdict verdict,
                      SarifOption sarif, String sarifLocation) {
        emit(out -> {
            switch (chosen) {
                case JSON -> FindingsReport.json(command, subject, verdict, out);
                case SARIF -> SarifReport.write(verdict, Main.version(), sarifLocation, sarif.minimum(), out);
                case MARKDOWN -> FindingsReport.markdown(command, subject, verdict, out);
                default -> FindingsReport.text(command, subject, verdict, out);
            }
        });
    }

    /** Writes a report to {@code file}, atomically (a temporary file next to it, moved into place). */
    void write(Path file, Consumer<PrintWriter> report) {
        Path target = env().workingDirectory().resolve(file).normalize();
        try {
            AtomicFiles.write(target, out -> {
                PrintWriter writer = new PrintWriter(new BufferedWriter(new OutputStreamWriter(out,
                        StandardCharsets.UTF_8)));
                report.accept(writer);
                writer.flush();
                // a PrintWriter keeps write errors (a full disk) to itself: ask, or a cut report goes in place
                if (writer.checkError()) {
                    throw new IOException("the write failed (is the disk full?)");
                }
            });
        } catch (IOException e) {
            throw new WardenException(target + ": cannot write the report: " + e.getMessage());
        }
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The chosen format, which must be one of those this command supports. */
    Format format(Format... supported) {
        for (Format candidate : supported) {
            if (candidate == format) {
                return candidate;
            }
        }
        throw new WardenException("--format " + format.label() + " is not supported by 'warden " + spec.name()
                + "' (expected "
                + Arrays.stream(supported).map(Format::label).collect(Collectors.joining(" or ")) + ")");
    }

    /** The directory a command's PATH argument names (null: the working directory). */
    Path directory(String path) {
        return path == null ? env().workingDirectory() : env().resolve(path);
    }

    /** Loads the project at {@code path} (null: the working directory), reporting its warnings on stderr. */
    Project project(String path) {
        if (manifestPath != null) {
            if (path != null) {
                throw new WardenException("give the project as PATH or --manifest-path, not both");
            }
            Path manifest = env().resolve(manifestPath);
            if (!manifest.getFileName().toString().endsWith(".toml") || Files.isDirectory(manifest)) {
                throw new WardenException("--manifest-path must name a Cargo.toml file, found " + manifestPath);
            }
            path = manifest.toAbsolutePath().getParent().toString();
        }
        Project project = new ProjectLoader(env()).load(path);
        warn(project.outOfDate());
        return project;
    }

    /** The project's graph, with edge kinds from any dependency sources unpacked on this machine. */
    DependencyGraph graph(Project project) {
        return graph(project, null);
    }

    /** The graph for {@code --target}, or for {@code defaultPlatform} when none is given (null: every platform). */
    DependencyGraph graph(Project project, TargetPlatform defaultPlatform) {
        LocalSources sources = LocalSources.of(project, env());
        DependencyGraph graph = GraphBuilder.build(project, sources::manifest);
        warn(sources.warnings());
        TargetPlatform platform = target == null ? defaultPlatform
                : target.equals("all") ? null : TargetPlatform.of(target);
        if (platform != null) {
            graph = graph.forPlatform(platform);
        }
        if (pkg != null) {
            List<DependencyGraph.Node> matches = graph.find(pkg);
            if (matches.size() != 1) {
                throw new WardenException(matches.isEmpty() ? "-p " + pkg + ": no such package in the graph"
                        : "-p " + pkg + " is ambiguous: " + matches.stream().map(n -> n.id().nameAndVersion())
                                .collect(Collectors.joining(", ")) + " (give NAME@VERSION)");
            }
            graph = graph.rootedAt(matches.getFirst());
        }
        return graph;
    }

    void warn(List<String> warnings) {
        for (String warning : warnings) {
            for (String line : warning.split("\n")) {
                err().println("warning: " + Printable.of(line)); // warnings quote inputs too
            }
        }
    }

}
