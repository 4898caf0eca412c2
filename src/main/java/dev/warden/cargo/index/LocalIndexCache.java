package dev.warden.cargo.index;

import dev.warden.cargo.lock.SourceId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Cargo's own index cache, {@code $CARGO_HOME/registry/index/<host>-<hash>/.cache/<path>}: what Cargo last
 * saw of each crate it resolved, including yanked flags, without any network access. The file format (Cargo's
 * {@code SummariesCache}, version 3) is: one byte cache version, a little-endian u32 index schema version, the index
 * file version and a NUL, then for each version its number, a NUL, its JSON line and a NUL.
 */
public final class LocalIndexCache implements RegistryIndex {

    static final int CACHE_VERSION = 3;

    private final Path indexRoot;
    private final boolean present;

    public LocalIndexCache(Path cargoHome) {
        this.indexRoot = cargoHome.resolve("registry/index");
        this.present = Files.isDirectory(indexRoot);
    }

    @Override
    public Optional<List<IndexEntry>> versions(SourceId registry, String crate) {
        if (!present || !registry.isRegistry()) {
            return Optional.empty();
        }
        String host = URI.create(registry.url()).getHost();
        if (host == null) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(indexRoot,
                dir -> dir.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(host.toLowerCase(Locale.ROOT) + "-"))) {
            for (Path dir : dirs) {
                Path file = dir.resolve(".cache").resolve(IndexEntries.path(crate));
                if (Files.isRegularFile(file)) {
                    Optional<List<IndexEntry>> entries = parse(Files.readAllBytes(file));
                    if (entries.isPresent()) {
                        return entries;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    /** Decodes a cache file; a file from another Cargo cache version is ignored rather than misread. */
    static Optional<List<IndexEntry>> parse(byte[] data) {
        if (data.length < 5 || data[0] != CACHE_VERSION) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        int start = 5;
        for (int i = 5; i < data.length; i++) {
            if (data[i] == 0) {
                fields.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        List<IndexEntry> entries = new ArrayList<>();
        // fields[0] is the index file version; then version / JSON pairs.
        for (int i = 2; i < fields.size(); i += 2) {
            IndexEntries.parse(fields.get(i)).ifPresent(entries::add);
        }
        return Optional.of(entries);
    }
}
