package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.evaluate.source.SourceAcquisition;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * {@code --offline}, and the progress line of source acquisition: the commands that read crate code (gate, diff,
 * scan) fetch what is not on this machine from each crate's registry, verified against the lockfile, unless told not to.
 */
final class SourcesOption {

    @Option(names = "--offline", description = {"Never download crate sources: judge what is on this machine,",
        "and report every other crate as unverified (source-unverified)."})
    boolean offline;

    /** Every third-party crate of the project, read from this machine or fetched (unless --offline) and scanned. */
    ScannedCrates thirdParty(Project project, CommandContext context) {
        return ScannedCrates.of(SourceAcquisition.forProject(project, context.env(), offline),
                project.lockfile().packages().stream().filter(p -> p.source() != null).toList(),
                progress(context.err()));
    }

    /** "fetching 53 crates … 31/53 (4.1 MB)" on a terminal, rewritten in place; nothing when output is not a TTY. */
    static Consumer<SourceAcquisition.Progress> progress(PrintWriter err) {
        if (System.console() == null) {
            return p -> { };
        }
        return p -> {
            synchronized (err) {
                err.print("\rfetching " + p.total() + " crate" + (p.total() == 1 ? "" : "s") + " … " + p.done() + "/"
                        + p.total() + " (" + String.format("%.1f MB", p.bytes() / 1e6) + ")"
                        + (p.done() == p.total() ? "\n" : ""));
                err.flush();
            }
        };
    }
}
