package dev.warden.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory chores shared by the commands that make temporary trees. */
public final class Directories {

    private Directories() {
    }

    /**
     * Removes a directory tree Warden made (a temporary workspace, a partial clone), as far as it can: a tree left
     * behind is harmless and never worth failing the command for. Links are removed, never followed.
     */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what could not be removed stays; the caller's work is done either way
        }
    }
}
