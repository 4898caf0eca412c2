package dev.warden.cargo.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cargo.semver.Version;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** The parts of Cargo's registry index format that Warden reads: file layout and one JSON line per version. */
public final class IndexEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexEntries() {
    }

    /**
     * The path of a crate's index file, as Cargo lays it out: {@code 1/a}, {@code 2/ab}, {@code 3/a/abc},
     * {@code ab/cd/abcdef} (lower-cased).
     */
    public static String path(String crate) {
        String name = crate.toLowerCase(Locale.ROOT);
        return switch (name.length()) {
            case 1 -> "1/" + name;
            case 2 -> "2/" + name;
            case 3 -> "3/" + name.charAt(0) + "/" + name;
            default -> name.substring(0, 2) + "/" + name.substring(2, 4) + "/" + name;
        };
    }

    /** Parses one index line; lines that are not valid entries yield nothing (indexes are third-party data). */
    public static Optional<IndexEntry> parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.hasNonNull("name") || !node.hasNonNull("vers")) {
                return Optional.empty();
            }
            Instant pubtime = null;
            if (node.hasNonNull("pubtime")) {
                try {
                    pubtime = Instant.parse(node.get("pubtime").asText());
                } catch (DateTimeParseException ignored) {
                    // An unreadable timestamp is treated as absent.
                }
            }
            return Optional.of(new IndexEntry(node.get("name").asText(), Version.parse(node.get("vers").asText()),
                    node.path("cksum").asText(null), node.path("yanked").asBoolean(false), pubtime));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
