package dev.warden.evaluate.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The files of one crate, from an unpacked directory or a {@code .crate} archive, as paths relative to the crate
 * root with forward slashes. Links are recorded, never followed.
 *
 * @param origin where the tree was read from (shown in reports)
 * @param root   the directory holding the files, or null when they were read from an archive into memory
 */
public record CrateTree(String origin, Path root, List<Entry> entries) {

    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    /**
     * @param content the bytes of a file read from an archive; null for files on disk (read on demand) and non-files
     */
    public record Entry(String path, Type type, long size, boolean executable, String linkTarget, byte[] content) {
    }

    public CrateTree {
        entries = List.copyOf(entries);
    }

    public Optional<Entry> find(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** The bytes of a regular file. */
    public byte[] read(Entry entry) {
        if (entry.content() != null) {
            return entry.content();
        }
        try {
            return Files.readAllBytes(root.resolve(entry.path()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code n} bytes of a regular file (fewer if it is shorter), without reading the rest from disk. */
    public byte[] head(Entry entry, int n) {
        if (entry.content() != null) {
            return entry.content().length <= n ? entry.content() : Arrays.copyOf(entry.content(), n);
        }
        try (InputStream in = Files.newInputStream(root.resolve(entry.path()))) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isFile(String path) {
        return find(path).map(e -> e.type() == Type.FILE).orElse(false);
    }
}
