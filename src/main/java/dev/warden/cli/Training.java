package dev.warden.cli;

import dev.warden.core.Environment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The launcher's AOT training workload: runs one command's usual invocations in-process on a sample project so the
 * JVM records exactly the classes and method profiles that command needs. The launcher keeps one cache per command
 * because the cache is loaded whole at start-up: a cache trained on every command makes each of them slower.
 * Usage: {@code Training PROJECT_DIR [COMMAND]}. Not a user command.
 */
public final class Training {

    private static final String STORE = Path.of(System.getProperty("java.io.tmpdir"),
            "warden-training-" + ProcessHandle.current().pid() + ".db").toString();

    static final Map<String, List<String[]>> WORKLOADS = Map.of(
            "lock", List.of(new String[] {"lock"}, new String[] {"lock", "--format", "json"}),
            "tree", List.of(new String[] {"tree"}, new String[] {"tree", "--format", "json", "--edges", "normal"}),
            "why", List.of(new String[] {"why", "memchr"}, new String[] {"why", "memchr", "--format", "json"}),
            "audit", List.of(new String[] {"audit"}, new String[] {"audit", "--format", "json"},
                    new String[] {"audit", "--format", "sarif"}, new String[] {"audit", "--format", "markdown"}),
            "scan", List.of(new String[] {"scan", "../attack/app", "--offline"}, new String[] {"scan", "../attack/app",
                    "--offline", "--format", "json"}),
            "recon", List.of(new String[] {"recon"}, new String[] {"recon", "--format", "json"},
                    new String[] {"recon", "--name", "serd"}),
            "diff", List.of(new String[] {"diff", "../attack/app/before.lock", "../attack/app/Cargo.lock",
                    "--offline"}, new String[] {"diff", "../attack/app/before.lock", "../attack/app/Cargo.lock",
                    "--offline", "--format", "markdown"}),
            // Offline: training never downloads; the decisions go to a scratch store, not into the example.
            "gate", List.of(new String[] {"gate", "../attack/app", "--base", "../attack/app/before.lock", "--offline",
                    "--db", STORE}, new String[] {"gate", "--offline", "--db", STORE, "--format", "markdown"}));

    private Training() {
    }

    public static void main(String[] args) {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Environment env = Environment.system().withWorkingDirectory(project);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        List<String[]> workload = args.length > 1 && WORKLOADS.containsKey(args[1]) ? WORKLOADS.get(args[1])
                : WORKLOADS.values().stream().flatMap(List::stream).toList();
        for (int round = 0; round < 5; round++) {
            for (String[] command : workload) {
                Main.run(command, sink, sink, env);
            }
            Main.run(new String[] {"--help"}, sink, sink, env);
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(STORE + suffix));
            } catch (IOException ignored) {
                // a scratch file in the temporary directory
            }
        }
    }
}
