package dev.warden.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files replaced whole or not at all — reports, the advisory index, registry files, downloaded crates: written to a
 * temporary file beside the target, synced to disk, renamed over it, the directory synced. A full disk or a crash
 * leaves the previous file as it was and no temporary file behind.
 */
public final class AtomicFiles {

    /** What goes into the file. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Body body) throws IOException {
        Path temp = synced(target, body);
        try {
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Creates {@code target} whole, only if no file has that name: the synced file is hard-linked to it, and a link
     * fails when the name exists, so of several processes creating one file at once exactly one wins and none
     * replaces another's. False when the file was already there.
     *
     * @throws UnsupportedOperationException where the file system has no hard links
     */
    public static boolean createNew(Path target, Body body) throws IOException {
        Path temp = synced(target, body);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The body written to a temporary file beside {@code target} and synced to disk (removed if that fails). */
    private static Path synced(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                body.write(out);
                out.flush();
                channel.force(true);
            }
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Puts a complete file, written by someone else beside the target (a download, a database), in its place: synced
     * first, so the rename never publishes a file whose blocks are not on disk yet.
     */
    public static void replace(Path complete, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(complete, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        move(complete, target);
    }

    private static void move(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true); // the rename itself, durable
        } catch (IOException ignored) {
            // Not every file system opens a directory; the rename is atomic all the same.
        }
    }
}
