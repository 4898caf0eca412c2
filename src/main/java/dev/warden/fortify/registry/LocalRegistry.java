package dev.warden.fortify.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.cargo.index.IndexEntries;
import dev.warden.cargo.manifest.Dependency;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.core.AtomicFiles;
import dev.warden.core.WardenException;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlTable;
import dev.warden.evaluate.source.CrateArchive;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Cargo registry kept in a directory: {@code index/} in the sparse layout (one JSON line per version, with
 * {@code cksum}, {@code yanked} and {@code pubtime}) and {@code crates/<name>/<name>-<version>.crate}. Served over
 * HTTP by {@link RegistryServer}; written by {@link #publish} (which packages a crate directory the way
 * {@code cargo package} does) and {@link #yank}.
 */
public final class LocalRegistry {

    /** What a publication produced. */
    public record Published(String name, String version, String checksum, Instant time) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private LocalRegistry(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the registry kept in {@code dir}. */
    public static LocalRegistry at(Path dir) {
        try {
            Files.createDirectories(dir.resolve("index"));
            Files.createDirectories(dir.resolve("crates"));
        } catch (IOException e) {
            throw new WardenException(dir + ": cannot create a registry here: " + e.getMessage());
        }
        return new LocalRegistry(dir);
    }

    public Path directory() {
        return dir;
    }

    /** Packages {@code crateDir} and adds it to the index; publishing the same version twice is refused, as on crates.io. */
    public synchronized Published publish(Path crateDir, Instant now) {
        Manifest manifest = ManifestParser.parse(crateDir.resolve("Cargo.toml"));
        if (manifest.pkg() == null || manifest.pkg().version() == null) {
            throw WardenException.at(manifest.path(), 1, "a crate to publish needs [package] with a name and version");
        }
        String name = manifest.pkg().name();
        String version = manifest.pkg().version();
        Path indexFile = indexFile(name);
        List<String> lines = lines(indexFile);
        for (String line : lines) {
            IndexEntries.parse(line).filter(e -> e.version().toString().equals(version)).ifPresent(e -> {
                throw new WardenException(name + " " + version + " is already published in " + dir);
            });
        }
        Path crate = crateFile(name, version);
        pack(crateDir, crate, name + "-" + version);
        String checksum = CrateArchive.sha256(crate);
        Instant time = now.truncatedTo(ChronoUnit.SECONDS);
        ObjectNode entry = JSON.createObjectNode();
        entry.put("name", name);
        entry.put("vers", version);
        ArrayNode deps = entry.putArray("deps");
        for (Dependency dependency : manifest.dependencies()) {
            if (dependency.isPath() && dependency.versionReq() == null) {
                continue; // a path-only dependency cannot be published; cargo refuses it too
            }
            ObjectNode dep = deps.addObject();
            dep.put("name", dependency.name());
            dep.put("req", dependency.versionReq() == null ? "*" : dependency.versionReq());
            ArrayNode features = dep.putArray("features");
            dependency.features().forEach(features::add);
            dep.put("optional", dependency.optional());
            dep.put("default_features", dependency.defaultFeatures());
            dep.put("target", dependency.target());
            dep.put("kind", dependency.kind().name().toLowerCase(Locale.ROOT));
            if (dependency.isRenamed()) {
                dep.put("package", dependency.packageName());
            }
        }
        entry.put("cksum", checksum);
        features(crateDir.resolve("Cargo.toml"), entry);
        entry.put("yanked", false);
        if (manifest.pkg().links() != null) {
            entry.put("links", manifest.pkg().links());
        }
        entry.put("pubtime", time.toString());
        lines.add(entry.toString());
        write(indexFile, lines);
        return new Published(name, version, checksum, time);
    }

    /**
     * The {@code [features]} table as the index carries it: without it Cargo cannot turn on any feature of the crate.
     * Features using the newer {@code dep:} and {@code ?/} syntax go to {@code features2}, with {@code "v": 2}, as
     * crates.io writes them so that older Cargo versions skip what they cannot read.
     */
    private static void features(Path manifest, ObjectNode entry) {
        ObjectNode features = entry.putObject("features");
        ObjectNode newer = JSON.createObjectNode();
        if (Toml.parse(manifest).get("features") instanceof TomlTable table) {
            for (String feature : table.keys()) {
                List<String> enables = table.getStrings(feature);
                boolean modern = enables.stream().anyMatch(e -> e.startsWith("dep:") || e.contains("?/"));
                ArrayNode values = (modern ? newer : features).putArray(feature);
                enables.forEach(values::add);
            }
        }
        if (!newer.isEmpty()) {
            entry.set("features2", newer);
            entry.put("v", 2);
        }
    }

    /** Marks a version yanked (or back); its .crate stays downloadable for lockfiles that already pin it. */
    public synchronized void yank(String name, String version, boolean yanked) {
        Path indexFile = indexFile(name);
        List<String> lines = lines(indexFile);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            try {
                JsonNode node = JSON.readTree(lines.get(i));
                if (version.equals(node.path("vers").asText())) {
                    ((ObjectNode) node).put("yanked", yanked);
                    lines.set(i, node.toString());
                    found = true;
                }
            } catch (IOException e) {
                throw new WardenException(indexFile + ":" + (i + 1) + ": not a JSON index line");
            }
        }
        if (!found) {
            throw new WardenException(name + " " + version + " is not in " + dir);
        }
        write(indexFile, lines);
    }

    public Path indexFile(String name) {
        return dir.resolve("index").resolve(IndexEntries.path(name));
    }

    public Path crateFile(String name, String version) {
        String lower = name.toLowerCase(Locale.ROOT);
        return dir.resolve("crates").resolve(lower).resolve(lower + "-" + version + ".crate");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? new ArrayList<>(Files.readAllLines(file).stream()
                    .filter(l -> !l.isBlank()).toList()) : new ArrayList<>();
        } catch (IOException e) {
            throw new WardenException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            AtomicFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WardenException(file + ": cannot write: " + e.getMessage());
        }
    }

    /**
     * A {@code .crate}: gzip-compressed tar of the crate's files under {@code prefix/} ({@code name-version}), as
     * cargo makes it; its build output and git directory left out.
     */
    public static void pack(Path crateDir, Path crate, String prefix) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(crateDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !crateDir.relativize(p).startsWith("target") && !crateDir.relativize(p).startsWith(".git"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new WardenException(crateDir + ": cannot read: " + e.getMessage());
        }
        try {
            AtomicFiles.write(crate, out -> {
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Path file : files) {
                    byte[] bytes = Files.readAllBytes(file);
                    TarArchiveEntry entry = new TarArchiveEntry(prefix + "/"
                            + crateDir.relativize(file).toString().replace('\\', '/'), true);
                    entry.setSize(bytes.length);
                    entry.setMode(Files.isExecutable(file) ? 0755 : 0644);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                    tar.closeArchiveEntry();
                }
                // the tar's end and the gzip trailer, leaving the file open to be synced
                tar.finish();
                gzip.finish();
            });
        } catch (IOException e) {
            throw new WardenException(crate + ": cannot write: " + e.getMessage());
        }
    }
}
