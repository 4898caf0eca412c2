package dev.warden.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Writes {@code .crate} files (gzip-compressed tar) as tests need them, well-formed or hostile. */
public final class CrateFiles {

    private CrateFiles() {
    }

    /** Writes {@code file} with whatever entries {@code body} puts into the archive. */
    public static Path write(Path file, Consumer<TarArchiveOutputStream> body) {
        GzipParameters fast = new GzipParameters();
        fast.setCompressionLevel(1);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out, fast))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                body.accept(tar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Packs a crate directory as {@code cargo package} lays it out: every file under {@code name-version/}. */
    public static Path pack(Path crateDir, Path file, String nameAndVersion) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(crateDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, tar -> {
            for (Path source : files) {
                try {
                    file(tar, nameAndVersion + "/" + crateDir.relativize(source).toString().replace('\\', '/'),
                            Files.readString(source));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    public static void file(TarArchiveOutputStream tar, String name, String content) {
        file(tar, name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** A regular file with the given bytes and permission bits (e.g. 0755 for an executable). */
    public static void file(TarArchiveOutputStream tar, String name, byte[] bytes, int mode) {
        try {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
            entry.setSize(bytes.length);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void link(TarArchiveOutputStream tar, String name, String target, boolean hard) {
        try {
            TarArchiveEntry entry = new TarArchiveEntry(name, hard ? TarConstants.LF_LINK : TarConstants.LF_SYMLINK, true);
            entry.setLinkName(target);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry of {@code size} zero bytes, which compresses to almost nothing: a gzip bomb. */
    public static void zeros(TarArchiveOutputStream tar, String name, long size) {
        try {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < size; written += block.length) {
                tar.write(block, 0, (int) Math.min(block.length, size - written));
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
