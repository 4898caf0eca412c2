package dev.warden.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's temporary directory (a build's trace and decoys, a fetch's trace, a drill's workspace), marked with the
 * process that owns it. A run killed with SIGKILL cannot delete its own, so each new run first removes those of its
 * kind whose owner is gone — recognised by the marker, never by name alone, so nobody else's directory is touched.
 */
public final class RunDirectory {

    /** The owner's pid and start time: a pid alone may have been reused by another process since. */
    private static final String OWNER = ".warden-owner";

    private RunDirectory() {
    }

    /** Removes abandoned directories of this kind, then creates this run's ({@code prefix} + random suffix). */
    public static Path create(String prefix) throws IOException {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        sweep(parent, prefix);
        Path dir = Files.createTempDirectory(parent, prefix);
        Files.writeString(dir.resolve(OWNER), owner(ProcessHandle.current()).orElse(""), StandardCharsets.UTF_8);
        return dir;
    }

    /** Takes the directory out of the sweep: the user asked to keep it (a drill's {@code --keep}). */
    public static void keep(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(OWNER));
        } catch (IOException e) {
            // then a later run may sweep it; the run that kept it has said where it is
        }
    }

    /** Deletes the directories {@code parent/prefix*} whose marker names a process that no longer runs. */
    static void sweep(Path parent, String prefix) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : dirs) {
                if (abandoned(dir)) {
                    Directories.deleteQuietly(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable temporary directory: nothing to sweep, and nothing to stop the run for
        }
    }

    private static boolean abandoned(Path dir) throws IOException {
        Path marker = dir.resolve(OWNER);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                || Files.size(marker) > 100) {
            return false;
        }
        String recorded = Files.readString(marker, StandardCharsets.UTF_8).strip();
        String[] owner = recorded.split(" ");
        if (owner.length != 2 || !owner[0].matches("\\d{1,18}")) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
        // the pid may run again: then the directory is abandoned only if that is another process
        return process.isEmpty() || owner(process.get()).map(current -> !current.equals(recorded)).orElse(false);
    }

    private static Optional<String> owner(ProcessHandle process) {
        Optional<Instant> started = process.info().startInstant();
        return started.map(at -> process.pid() + " " + at.toEpochMilli());
    }
}
