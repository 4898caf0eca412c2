package dev.warden.recon.typosquat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: packs the built-in popular list ({@code popular-crates.tsv}) into the index embedded in the jar, so a
 * run loads it instead of computing its name forms. Usage: {@code PopularIndexBuilder TSV OUTPUT_FILE}.
 */
public final class PopularIndexBuilder {

    private PopularIndexBuilder() {
    }

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[1]);
        PopularCrates popular = PopularCrates.builtInSource(Path.of(args[0]));
        Files.createDirectories(output.getParent());
        Files.write(output, popular.packed());
        System.out.printf("popular crates index: %s -> %s%n", popular.description(), output);
    }
}
