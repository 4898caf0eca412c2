package dev.warden.cli;

import dev.warden.core.Directories;
import dev.warden.core.Environment;
import dev.warden.fortify.registry.LocalRegistry;
import dev.warden.fortify.registry.RegistryServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's AOT training workload: runs one command's usual invocations in-process on a sample project so the
 * JVM records exactly the classes and method profiles that command needs. The launcher keeps one cache per command
 * because the cache is loaded whole at start-up: a cache trained on every command makes each of them slower.
 * Usage: {@code Training PROJECT_DIR [COMMAND]} with {@code PROJECT_DIR} the bundled {@code examples/ripgrep}. Not a user
 * command.
 */
public final class Training {

    private static final String STORE = Path.of(System.getProperty("java.io.tmpdir"),
            "warden-training-" + ProcessHandle.current().pid() + ".db").toString();

    static final Map<String, List<String[]>> WORKLOADS = Map.ofEntries(
            Map.entry("lock", List.of(new String[] {"lock"}, new String[] {"lock", "--format", "json"})),
            Map.entry("tree", List.of(new String[] {"tree"},
                    new String[] {"tree", "--format", "json", "--edges", "normal"})),
            Map.entry("why", List.of(new String[] {"why", "memchr"},
                    new String[] {"why", "memchr", "--format", "json"})),
            Map.entry("audit", List.of(new String[] {"audit"}, new String[] {"audit", "--format", "json"},
                    new String[] {"audit", "--format", "sarif"}, new String[] {"audit", "--format", "markdown"})),
            Map.entry("scan", List.of(new String[] {"scan", "../attack/app", "--offline"},
                    new String[] {"scan", "../attack/app", "--offline", "--format", "json"})),
            Map.entry("recon", List.of(new String[] {"recon"}, new String[] {"recon", "--format", "json"},
                    new String[] {"recon", "--name", "serd"})),
            Map.entry("diff", List.of(new String[] {"diff", "../attack/app/before.lock", "../attack/app/Cargo.lock",
                    "--offline"}, new String[] {"diff", "../attack/app/before.lock", "../attack/app/Cargo.lock",
                    "--offline", "--format", "markdown"})),
            // Offline: training never downloads; the decisions go to a scratch store, not into the example.
            Map.entry("gate", List.of(new String[] {"gate", "../attack/app", "--base", "../attack/app/before.lock",
                    "--offline", "--store", STORE}, new String[] {"gate", "--offline", "--store", STORE, "--format",
                    "markdown"})),
            // The CI definitions of examples/ci; metrics go to the scratch store too.
            Map.entry("ci-audit", List.of(new String[] {"ci-audit", "../ci", "--store", STORE},
                    new String[] {"ci-audit", "../ci", "--format", "json", "--store", STORE})));

    private Training() {
    }

    public static void main(String[] args) {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Environment env = Environment.system().withWorkingDirectory(project);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        List<String[]> workload = args.length > 1 && WORKLOADS.containsKey(args[1]) ? WORKLOADS.get(args[1])
                : WORKLOADS.values().stream().flatMap(List::stream).toList();
        boolean gate = args.length < 2 || args[1].equals("gate");
        for (int round = 0; round < 5; round++) {
            for (String[] command : workload) {
                Main.run(command, sink, sink, env);
            }
            Main.run(new String[] {"--help"}, sink, sink, env);
            if (gate) {
                freshRunner(project.resolve("../attack/vendor"), env, sink);
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm", ".metrics"}) {
            try {
                Files.deleteIfExists(Path.of(STORE + suffix));
            } catch (IOException ignored) {
                // a scratch file in the temporary directory
            }
        }
    }

    /**
     * The gate the way CI runs it, so the cache holds the download path too (HTTP client, index configuration,
     * checksum, crate cache): the attack's crates on a loopback registry reached by source replacement, an empty
     * crate cache, and the update from 2.1.0 to 2.1.1.
     */
    private static void freshRunner(Path vendor, Environment env, PrintWriter sink) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("warden-training");
        } catch (IOException e) {
            return;
        }
        try {
            LocalRegistry registry = LocalRegistry.at(scratch.resolve("registry"));
            Map<String, String> checksums = new LinkedHashMap<>();
            for (String crate : List.of("rust-utilities-v2-2.1.0", "rust-utilities-v2-2.1.1", "url-parse-0.1.0")) {
                LocalRegistry.Published published = registry.publish(vendor.resolve(crate), env.clock().instant());
                checksums.put(published.name() + " " + published.version(), published.checksum());
            }
            try (RegistryServer server = RegistryServer.start(registry, 0)) {
                Path app = Files.createDirectories(scratch.resolve("app/.cargo")).getParent();
                Files.writeString(app.resolve(".cargo/config.toml"), "[source.crates-io]\nreplace-with = \"l\"\n"
                        + "[source.l]\nregistry = \"" + server.indexUrl() + "\"\n");
                Files.writeString(app.resolve("before.lock"), lockfile(checksums, "2.1.0", false));
                Files.writeString(app.resolve("Cargo.lock"), lockfile(checksums, "2.1.1", true));
                Map<String, String> variables = new LinkedHashMap<>(env.variables());
                variables.put("WARDEN_CACHE_DIR", scratch.resolve("cache").toString());
                Environment runner = env.withVariables(variables).withWorkingDirectory(app);
                Main.run(new String[] {"gate", ".", "--base", "before.lock", "--store", STORE, "--format", "json"},
                        sink, sink, runner);
            }
        } catch (RuntimeException | IOException e) {
            // training is best effort: a cache trained on less is still a cache
        } finally {
            Directories.deleteQuietly(scratch);
        }
    }

    private static String lockfile(Map<String, String> checksums, String version, boolean withUrlParse) {
        String crate = "\n[[package]]\nname = \"%s\"\nversion = \"%s\"\nsource = \"registry+https://github.com/"
                + "rust-lang/crates.io-index\"\nchecksum = \"%s\"\n";
        String text = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"rust-utilities-v2\"]\n"
                + crate.formatted("rust-utilities-v2", version, checksums.get("rust-utilities-v2 " + version));
        if (withUrlParse) {
            text += "dependencies = [\"url-parse\"]\n" + crate.formatted("url-parse", "0.1.0",
                    checksums.get("url-parse 0.1.0"));
        }
        return text;
    }
}
