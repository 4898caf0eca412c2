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
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String format;

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
        for (Format candidate : supported) {
            if (candidate.label().equalsIgnoreCase(format)) {
                return candidate;
            }
        }
        throw new WardenException("unknown --format '" + format + "' for 'warden " + spec.name() + "' (expected "
                + Arrays.stream(supported).map(Format::label).collect(Collectors.joining(" or ")) + ")");
    }

    void warn(List<String> warnings) {
        for (String warning : warnings) {
            err().println("warning: " + warning);
        }
    }

}
