package dev.warden.testing;

import dev.warden.exercise.DrillCrates;
import dev.warden.fortify.registry.LocalRegistry;
import dev.warden.fortify.registry.RegistryServer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A sparse registry on 127.0.0.1 standing in for crates.io, the way a fresh CI runner sees crates.io: the crates are
 * there and nowhere else. Projects reach it through {@code [source.crates-io] replace-with}, so their lockfiles
 * name crates.io exactly as Cargo writes them behind a mirror, with the registry's real checksums.
 */
public final class LoopbackCratesIo implements AutoCloseable {

    private final LocalRegistry registry;
    private final RegistryServer server;
    private final Map<String, String> checksums = new LinkedHashMap<>();

    public LoopbackCratesIo(Path dir) {
        this.registry = LocalRegistry.at(dir);
        this.server = RegistryServer.start(registry, 0);
    }

    /** Writes a crate with {@code writer} under {@code sources} and publishes it; returns its checksum. */
    public String publish(Path sources, Consumer<Path> writer) {
        writer.accept(sources);
        LocalRegistry.Published published = registry.publish(sources, Instant.parse("2026-11-01T00:00:00Z"));
        checksums.put(published.name() + " " + published.version(), published.checksum());
        return published.checksum();
    }

    /** Publishes a plain library crate with no dependencies. */
    public String library(Path sources, String name, String version) {
        return publish(sources.resolve(name + "-" + version), d -> DrillCrates.library(d, name, version, "",
                "pub fn id() -> u32 { " + version.replace(".", "") + " }\n"));
    }

    public String checksum(String name, String version) {
        String checksum = checksums.get(name + " " + version);
        if (checksum == null) {
            throw new IllegalArgumentException(name + " " + version + " was not published");
        }
        return checksum;
    }

    /** The {@code .cargo/config.toml} that makes a project download crates.io crates from here. */
    public String cargoConfig() {
        return """
                [source.crates-io]
                replace-with = "loopback"

                [source.loopback]
                registry = "%s"
                """.formatted(server.indexUrl());
    }

    /** Every path the registry was asked for, downloads included. */
    public List<String> requests() {
        return server.requests();
    }

    public List<String> downloads() {
        return server.requests().stream().filter(p -> p.endsWith("/download")).toList();
    }

    public LocalRegistry registry() {
        return registry;
    }

    /** Packs a crate directory the way {@link LocalRegistry#publish} does, into a throw-away registry at {@code scratch}. */
    public static Path pack(Path crateDir, Path scratch) {
        LocalRegistry other = LocalRegistry.at(scratch);
        LocalRegistry.Published published = other.publish(crateDir, Instant.parse("2026-11-02T00:00:00Z"));
        return other.crateFile(published.name(), published.version());
    }

    /**
     * A v4 lockfile like {@link Lockfiles#appDependingOn}, each crates.io entry carrying the checksum published here:
     * {@code "name version"} for a dependency of the app, {@code "name version -> dep1 dep2"} with the crate's own
     * dependencies by name (space-separated), and a leading {@code ~} for a crate only other crates depend on.
     */
    public String lockfile(String... entries) {
        StringBuilder text = new StringBuilder("version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\n");
        for (String entry : entries) {
            if (!entry.startsWith("~")) {
                String[] f = entry.split(" ");
                text.append(" \"").append(f[0]).append(" ").append(f[1]).append("\",\n");
            }
        }
        text.append("]\n");
        for (String entry : entries) {
            String[] parts = entry.replaceFirst("^~", "").split(" -> ");
            String[] f = parts[0].split(" ");
            text.append("\n[[package]]\nname = \"").append(f[0]).append("\"\nversion = \"").append(f[1])
                    .append("\"\nsource = \"").append(Lockfiles.CRATES_IO).append("\"\nchecksum = \"")
                    .append(checksum(f[0], f[1])).append("\"\n");
            if (parts.length > 1) {
                text.append("dependencies = [\n");
                for (String dependency : parts[1].split(" ")) {
                    text.append(" \"").append(dependency).append("\",\n");
                }
                text.append("]\n");
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
