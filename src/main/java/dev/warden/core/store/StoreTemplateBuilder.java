package dev.warden.core.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: an empty SQLite store brought to the newest schema by Flyway, embedded in the jar as the template
 * every new local store starts from ({@link Database#TEMPLATE}). Usage: {@code StoreTemplateBuilder OUTPUT_FILE}.
 */
public final class StoreTemplateBuilder {

    private StoreTemplateBuilder() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(output.getParent());
        for (String leftover : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(output + leftover)); // never a template made from an older template
        }
        Database.openMigrating(new StoreLocation.Sqlite(output), "the store template", output).close();
        // Closing the last connection checkpoints the WAL into the file and removes it: the template is one file.
        for (String side : new String[] {"-wal", "-shm"}) {
            if (Files.exists(Path.of(output + side))) {
                throw new IllegalStateException(output + side + " is left: the template is not one file");
            }
        }
        System.out.printf("store template: an empty store at the newest schema -> %s%n", output);
    }
}
