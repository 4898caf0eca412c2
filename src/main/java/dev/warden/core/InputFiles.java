package dev.warden.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading a file a user or a change names, bounded: a device that never ends ({@code /dev/zero}), a FIFO that never
 * closes or a file of gigabytes is refused with one line, never read until memory runs out. The size is checked
 * while reading too, since some files ({@code /proc}) report none.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /** The file's bytes; {@code what} names it in errors ("the popular-crates list"). */
    public static byte[] read(Path file, long maxBytes, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new WardenException(file + ": " + (Files.exists(file) ? "not a regular file, so not read as "
                        + what : "file not found"));
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw new WardenException(file + ": larger than " + (maxBytes >> 20) + " MB, more than Warden "
                            + "reads as " + what);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new WardenException(file + ": file not found");
        } catch (IOException e) {
            throw new WardenException(file + ": cannot read: " + e.getMessage());
        }
    }
}
