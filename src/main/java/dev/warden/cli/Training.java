package dev.warden.cli;

import dev.warden.core.Environment;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;

/**
 * The launcher's AOT/CDS training workload: runs the common commands in-process on a sample project so the JVM
 * records the classes and method profiles a real run needs. Not a user command.
 */
public final class Training {

    private Training() {
    }

    public static void main(String[] args) {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Environment env = Environment.system().withWorkingDirectory(project);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        String[][] commands = {
            {"lock"}, {"lock", "--format", "json"},
            {"tree"}, {"tree", "--format", "json", "--edges", "normal"},
            {"why", "memchr"}, {"why", "memchr", "--format", "json"},
            {"--help"}, {"lock", "--no-such-option"},
        };
        for (int round = 0; round < 3; round++) {
            for (String[] command : commands) {
                Main.run(command, sink, sink, env);
            }
        }
    }
}
