package dev.warden.evaluate.source;

import dev.warden.core.Sha256;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code .crate} files (gzip-compressed tar archives) without trusting them: every entry must sit inside the
 * crate's top directory ({@code name-version/}), with no absolute path, no {@code ..}, no NUL or backslash tricks,
 * and no link pointing outside the crate; sizes and entry counts are bounded while decompressing, so a gzip bomb is
 * stopped after the limit rather than inflated. Reading never writes to disk; {@link #extract} writes regular files
 * and directories only, and only below its target.
 */
public final class CrateArchive {

    /** A PAX header or long name is a path and a few attributes: a few kilobytes at most in any real crate. */
    static final long MAX_METADATA_BYTES = 1 << 20;

    private CrateArchive() {
    }

    /** Reads the archive into memory; the returned tree's paths are relative to the crate's top directory. */
    public static CrateTree read(Path crateFile, TreeLimits limits) {
        String origin = crateFile.toString();
        try (InputStream in = Files.newInputStream(crateFile)) {
            return readArchive(in, origin, limits);
        } catch (IOException e) {
            throw new WardenException(origin + ": cannot read crate archive: " + e.getMessage());
        }
    }

    /**
     * Reads an archive from a stream (a mirror on a distributed file system); {@code origin} names it in errors,
     * exactly as {@link #read(Path, TreeLimits)} names a file.
     */
    public static CrateTree read(InputStream raw, String origin, TreeLimits limits) {
        try {
            return readArchive(raw, origin, limits);
        } catch (IOException e) {
            throw new WardenException(origin + ": cannot read crate archive: " + e.getMessage());
        }
    }

    private static CrateTree readArchive(InputStream raw, String origin, TreeLimits limits) throws IOException {
        List<CrateTree.Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String top = null;
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new TarMetadataLimit(
                new GzipCompressorInputStream(new BufferedInputStream(raw), true), MAX_METADATA_BYTES))) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, origin)) != null) {
                if (entries.size() >= limits.maxEntries()) {
                    throw refuse(origin, "more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                checkPath(name, origin);
                String normalized = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                int slash = normalized.indexOf('/');
                String first = slash < 0 ? normalized : normalized.substring(0, slash);
                if (top == null) {
                    top = first;
                } else if (!top.equals(first)) {
                    throw refuse(origin, "entry '" + name + "' is outside the crate directory '" + top + "/'");
                }
                String relative = slash < 0 ? "" : normalized.substring(slash + 1);
                if (relative.isEmpty()) {
                    continue;
                }
                if (!seen.add(relative)) {
                    throw refuse(origin, "entry '" + name + "' appears twice");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    // a crate is files, directories and links; unpacked, a device node or pipe is a trap
                    throw refuse(origin, "entry '" + Printable.of(name) + "' is a " + (entry.isFIFO() ? "FIFO"
                            : "device file") + ", which no crate holds");
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    String target = entry.getLinkName();
                    checkLink(relative, target, entry.isLink(), top, origin);
                    entries.add(new CrateTree.Entry(relative, entry.isLink() ? CrateTree.Type.HARDLINK
                            : CrateTree.Type.SYMLINK, 0, false, target, null));
                } else if (entry.isDirectory()) {
                    entries.add(new CrateTree.Entry(relative, CrateTree.Type.DIRECTORY, 0, false, null, null));
                } else if (entry.isFile()) {
                    if (entry.getSize() > limits.maxFileBytes()) {
                        throw refuse(origin, "entry '" + name + "' is " + entry.getSize() + " bytes, over the "
                                + limits.maxFileBytes() + "-byte limit");
                    }
                    byte[] content = readBounded(tar, limits.maxFileBytes(), origin, name);
                    total += content.length;
                    if (total > limits.maxTotalBytes()) {
                        throw refuse(origin, "unpacks to more than " + limits.maxTotalBytes() + " bytes");
                    }
                    entries.add(new CrateTree.Entry(relative, CrateTree.Type.FILE, content.length,
                            (entry.getMode() & 0111) != 0, null, content));
                } else {
                    entries.add(new CrateTree.Entry(relative, CrateTree.Type.OTHER, 0, false, null, null));
                }
            }
        }
        if (top == null) {
            throw refuse(origin, "the archive is empty");
        }
        return new CrateTree(origin, null, entries);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String origin) {
        try {
            return tar.getNextEntry();
        } catch (TarMetadataLimit.TooLarge e) {
            throw refuse(origin, e.getMessage() + ", over the " + MAX_METADATA_BYTES + "-byte limit");
        } catch (IOException | IllegalArgumentException e) {
            throw refuse(origin, "corrupt archive: " + e.getMessage());
        }
    }

    /** Reads the current entry's bytes, never more than {@code max} whatever the header claims. */
    private static byte[] readBounded(InputStream in, long max, String origin, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > max) {
                throw refuse(origin, "entry '" + name + "' unpacks to more than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static void checkPath(String name, String origin) {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0
                || name.matches("^[A-Za-z]:.*")) {
            throw refuse(origin, "entry '" + Printable.of(name) + "' has an absolute or malformed path");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw refuse(origin, "entry '" + Printable.of(name) + "' escapes the crate directory");
            }
        }
    }

    /**
     * A link may only point at another entry inside the crate: a symbolic link relative to its own directory, a hard
     * link (which tar names by archive path) below the crate's own top directory — not another crate's, not above.
     */
    private static void checkLink(String relative, String target, boolean hard, String top, String origin) {
        if (target == null || target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0
                || hard && !target.startsWith(top + "/")) {
            throw refuse(origin, (hard ? "hard link" : "symbolic link") + " '" + Printable.of(relative)
                    + "' points outside the crate (" + Printable.of(String.valueOf(target)) + ")");
        }
        Path base = hard ? Path.of("crate") : Path.of("crate").resolve(relative).getParent();
        Path resolved = base.resolve(hard ? target.substring(top.length() + 1) : target).normalize();
        if (!resolved.startsWith("crate") || resolved.equals(Path.of("crate"))) {
            throw refuse(origin, (hard ? "hard link" : "symbolic link") + " '" + relative + "' points outside the crate ("
                    + Printable.of(target) + ")");
        }
    }

    /**
     * Writes the regular files and directories of a tree below {@code target} (which must not exist or be empty).
     * Links are not recreated. Every path is checked again against the resolved target.
     */
    public static void extract(CrateTree tree, Path target) {
        try {
            Files.createDirectories(target);
            Path root = target.toRealPath();
            try (var existing = Files.list(root)) {
                if (existing.findAny().isPresent()) {
                    throw new WardenException(target + ": extraction target is not empty");
                }
            }
            for (CrateTree.Entry entry : tree.entries()) {
                Path destination = root.resolve(entry.path()).normalize();
                if (!destination.startsWith(root) || destination.equals(root)) {
                    throw refuse(tree.origin(), "entry '" + entry.path() + "' would be written outside " + target);
                }
                switch (entry.type()) {
                    case DIRECTORY -> Files.createDirectories(destination);
                    case FILE -> {
                        Files.createDirectories(destination.getParent());
                        if (!destination.getParent().toRealPath().startsWith(root)) {
                            throw refuse(tree.origin(), "entry '" + entry.path() + "' would be written outside " + target);
                        }
                        Files.write(destination, tree.read(entry), StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    }
                    default -> {
                        // Links and special files are reported by the hygiene check, never recreated.
                    }
                }
            }
        } catch (IOException e) {
            throw new WardenException(target + ": cannot extract " + tree.origin() + ": " + e.getMessage());
        }
    }

    /** SHA-256 of a file, as Cargo records it for registry packages. */
    public static String sha256(Path file) {
        return Sha256.file(file);
    }

    private static WardenException refuse(String origin, String why) {
        return new WardenException(origin + ": refused: " + why);
    }

}
