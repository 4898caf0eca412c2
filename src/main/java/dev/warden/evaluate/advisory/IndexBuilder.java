package dev.warden.evaluate.advisory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

/**
 * Build step: turns the advisory sources under {@code src/main/advisories} into the index embedded in the jar.
 * Usage: {@code IndexBuilder SOURCES_DIR OUTPUT_FILE}. Fails the build if any advisory cannot be read, so the
 * shipped data is always complete.
 */
public final class IndexBuilder {

    private IndexBuilder() {
    }

    public static void main(String[] args) throws IOException {
        Path sources = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Properties snapshot = new Properties();
        try (Reader reader = Files.newBufferedReader(sources.resolve("snapshot.properties"))) {
            snapshot.load(reader);
        }
        AdvisoryDatabase loaded = AdvisoryLoader.load(List.of(sources.resolve("rustsec"), sources.resolve("ossf-malicious")));
        if (!loaded.problems().isEmpty()) {
            throw new IllegalStateException("unreadable embedded advisories:\n" + String.join("\n", loaded.problems()));
        }
        AdvisoryDatabase db = new AdvisoryDatabase(snapshot.getProperty("description"),
                LocalDate.parse(snapshot.getProperty("date")), List.of(), loaded.crates(), loaded.maliciousCrates(),
                loaded.advisoryCount(), loaded.lookup());
        Files.createDirectories(output.getParent());
        Files.write(output, AdvisoryIndex.write(db));
        System.out.printf("advisory index: %d advisories for %d crates, %d malicious crates -> %s%n",
                db.advisoryCount(), db.crates().size(), db.maliciousCrates().size(), output);
    }
}
