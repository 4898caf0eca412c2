package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.core.WardenException;
import dev.warden.report.Format;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Options and plumbing every command shares: {@code --format}, output streams and the environment seam. */
final class CommandContext {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (not every command supports every format; "
                    + "default: ${DEFAULT-VALUE}).")
    Format format;

    Environment env() {
        return ((Main) spec.root().userObject()).env();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The chosen format, which must be one of those this command supports. */
    Format format(Format... supported) {
        if (!Arrays.asList(supported).contains(format)) {
            throw new WardenException("'" + spec.name() + "' cannot write " + format.label() + " (supported: "
                    + Arrays.stream(supported).map(Format::label).collect(Collectors.joining(", ")) + ")");
        }
        return format;
    }

    void warn(List<String> warnings) {
        for (String warning : warnings) {
            err().println("warning: " + warning);
        }
    }

}
