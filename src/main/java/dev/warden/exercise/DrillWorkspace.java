package dev.warden.exercise;

import dev.warden.core.WardenException;
import dev.warden.limit.SandboxProbe;
import dev.warden.fortify.registry.LocalRegistry;
import dev.warden.fortify.registry.RegistryServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One drill scenario's world: a public registry standing in for crates.io and an internal one for the
 * organisation's crates, both real sparse registries on loopback; the project that depends on them, building through
 * source replacement; its own Cargo home; and real cargo to resolve, update and fetch.
 */
final class DrillWorkspace implements AutoCloseable {

    private final Path root;
    private final LocalRegistry publicRegistry;
    private final RegistryServer publicServer;
    private final LocalRegistry internalRegistry;
    private final RegistryServer internalServer;
    private final Map<String, String> cargoEnv;
    private final Map<Path, byte[]> snapshot = new LinkedHashMap<>();

    DrillWorkspace(Path root, Map<String, String> toolchainEnv) {
        this.root = root;
        this.publicRegistry = LocalRegistry.at(root.resolve("registry-public"));
        this.internalRegistry = LocalRegistry.at(root.resolve("registry-internal"));
        this.publicServer = RegistryServer.start(publicRegistry, 0);
        this.internalServer = RegistryServer.start(internalRegistry, 0);
        this.cargoEnv = new HashMap<>(toolchainEnv);
        cargoEnv.put("CARGO_HOME", cargoHome().toString());
        cargoEnv.put("HOME", root.resolve("developer-home").toString());
        cargoEnv.put("CARGO_TERM_COLOR", "never");
        DrillCrates.write(app(), ".cargo/config.toml", """
                [source.crates-io]
                replace-with = "public"

                [source.public]
                registry = "%s"

                [registries.acme]
                index = "%s"
                """.formatted(publicServer.indexUrl(), internalServer.indexUrl()));
        DrillCrates.write(app(), "warden.toml", """
                # The drill's policy: the organisation's crates are named acme-*, and come from its own registry.
                [recon]
                internal-prefixes = ["acme-"]

                [sources]
                allow-registries = ["acme"]
                internal-registry = "acme"
                require-git-rev = true
                """);
    }

    Path root() {
        return root;
    }

    Path app() {
        return root.resolve("app");
    }

    Path cargoHome() {
        return root.resolve("cargo-home");
    }

    /** Writes a crate with {@code writer} and publishes it to the public (or internal) registry. */
    Instant publish(String dirName, boolean internal, Consumer<Path> writer) {
        Path dir = root.resolve("crates").resolve(dirName);
        writer.accept(dir);
        LocalRegistry registry = internal ? internalRegistry : publicRegistry;
        return registry.publish(dir, Instant.now()).time();
    }

    void yank(String name, String version) {
        publicRegistry.yank(name, version, true);
    }

    /** Runs real cargo in the project, with this workspace's Cargo home; failing is an error of the drill. */
    String cargo(String... args) {
        List<String> command = new ArrayList<>(SandboxProbe.dieWithWarden(cargoEnv.get("PATH")));
        command.add("cargo");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(app().toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(cargoEnv);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new WardenException("drill: `cargo " + String.join(" ", args) + "` failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new WardenException("drill: cannot run cargo: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardenException("drill: interrupted");
        }
    }

    /** Remembers the project's manifests and lockfile, for the response step that reverts the change. */
    void snapshot() {
        snapshot.clear();
        for (Path file : projectFiles()) {
            try {
                snapshot.put(file, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new WardenException(file + ": cannot read: " + e.getMessage());
            }
        }
    }

    /** Puts the project back as it was at {@link #snapshot}: files the change added go, changed ones return. */
    void revert() {
        try {
            for (Path file : projectFiles()) {
                if (!snapshot.containsKey(file)) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<Path, byte[]> file : snapshot.entrySet()) {
                Files.createDirectories(file.getKey().getParent());
                Files.write(file.getKey(), file.getValue());
            }
        } catch (IOException e) {
            throw new WardenException(app() + ": cannot revert: " + e.getMessage());
        }
    }

    /** Copies the project as it is now (build output aside) to {@code to}. */
    void copyProject(Path to) {
        try {
            for (Path file : projectFiles()) {
                Path target = to.resolve(app().relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new WardenException(to + ": cannot copy the project: " + e.getMessage());
        }
    }

    void copyLockfile(Path to) {
        try {
            Files.copy(app().resolve("Cargo.lock"), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new WardenException(to + ": cannot write: " + e.getMessage());
        }
    }

    /** Everything of the project except build output and Warden's log. */
    private List<Path> projectFiles() {
        try (Stream<Path> walk = Files.walk(app())) {
            return walk.filter(Files::isRegularFile).filter(p -> !app().relativize(p).startsWith("target")).toList();
        } catch (IOException e) {
            throw new WardenException(app() + ": cannot read: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        publicServer.close();
        internalServer.close();
    }
}
