package dev.warden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Locates test data: the copy under src/test/resources/corpus, and the full shared corpus when it sits beside us. */
public final class Corpus {

    private Corpus() {
    }

    /** The corpus subset committed with the tests (always present). */
    public static Path bundled() {
        return Path.of("src/test/resources/corpus").toAbsolutePath();
    }

    public static Path bundled(String relative) {
        return bundled().resolve(relative);
    }

    /** {@code ../shared/corpus}, present on developer machines and in CI, absent on a bare clone. */
    public static Optional<Path> shared() {
        Path shared = Path.of("").toAbsolutePath().getParent().resolve("shared/corpus");
        return Files.isDirectory(shared) ? Optional.of(shared) : Optional.empty();
    }

    /** Every file under {@code root} whose name matches, sorted. */
    public static List<Path> files(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
