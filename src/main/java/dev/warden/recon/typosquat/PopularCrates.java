package dev.warden.recon.typosquat;

import dev.warden.core.WardenException;
import dev.warden.recon.ReconPolicy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The crates a squatter would imitate: names with their download rank (1 = most downloaded; {@link #UNRANKED} for
 * names known to be popular without a rank). The embedded default holds the top 20,000 of crates.io plus ~3,500 more
 * popular names (see {@code POPULAR-SOURCES.md}); {@link #read} takes a user's own list.
 */
public final class PopularCrates {

    public static final int UNRANKED = 50_000;

    /** The list {@code [recon] popular} names, else the built-in one. */
    public static PopularCrates of(ReconPolicy policy) {
        return policy.popular() != null ? read(policy.popular()) : embedded();
    }

    /** One popular crate: its spelling, crates.io's normalized name and its rank. */
    public record Entry(String name, String normalized, int rank) {
    }

    private static volatile PopularCrates embedded;

    private final String description;
    private final List<Entry> entries;
    private final Map<String, Entry> byNormalized;

    PopularCrates(String description, List<Entry> entries) {
        this.description = description;
        this.entries = List.copyOf(entries);
        this.byNormalized = new HashMap<>(entries.size() * 2);
        for (Entry entry : this.entries) {
            byNormalized.merge(entry.normalized(), entry, (a, b) -> a.rank() <= b.rank() ? a : b);
        }
    }

    public static PopularCrates embedded() {
        PopularCrates loaded = embedded;
        if (loaded == null) {
            String resource = "popular-crates.tsv";
            try (InputStream in = PopularCrates.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                loaded = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), Path.of(resource),
                        "built-in list of %,d popular crates.io crates (2024-03-18 ranking)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded = loaded;
        }
        return loaded;
    }

    /**
     * Reads a user's list: CSV or TSV with a header naming a {@code name} (or {@code normalized_name}) column and
     * optionally a {@code rank} column, or one name per line in rank order. Comment lines start with {@code #}.
     */
    public static PopularCrates read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file, file + " (%,d crates)");
        } catch (IOException e) {
            throw new WardenException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static PopularCrates parse(BufferedReader reader, Path file, String description) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int nameColumn = -1;
        int rankColumn = -1;
        String separator = null;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (separator == null) {
                separator = line.contains("\t") ? "\t" : line.contains(",") ? "," : "";
                List<String> header = separator.isEmpty() ? List.of() : Arrays.stream(line.split(separator, -1))
                        .map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
                nameColumn = header.contains("name") ? header.indexOf("name") : header.indexOf("normalized_name");
                rankColumn = header.indexOf("rank");
                if (nameColumn >= 0) {
                    continue;
                }
                // No header: a bare list (name per line) or our own "rank<TAB>name" file.
                nameColumn = separator.isEmpty() ? 0 : 1;
                rankColumn = separator.isEmpty() ? -1 : 0;
            }
            String[] fields = separator.isEmpty() ? new String[] {line.trim()} : line.split(separator, -1);
            if (fields.length <= nameColumn || !crateName(fields[nameColumn].trim())) {
                throw WardenException.at(file, lineNumber, "expected a crate name"
                        + (fields.length > nameColumn ? ", found '" + fields[nameColumn].trim() + "'" : ""));
            }
            String name = fields[nameColumn].trim();
            int rank = rankColumn < 0 ? entries.size() + 1 : UNRANKED;
            if (rankColumn >= 0 && fields.length > rankColumn && !fields[rankColumn].isBlank()) {
                try {
                    rank = Integer.parseInt(fields[rankColumn].trim());
                } catch (NumberFormatException e) {
                    throw WardenException.at(file, lineNumber, "rank must be a whole number, found '"
                            + fields[rankColumn].trim() + "'");
                }
                if (rank < 1) {
                    throw WardenException.at(file, lineNumber, "rank must be 1 or more, found " + rank);
                }
            }
            entries.add(new Entry(name, NameForms.normalized(name), rank));
        }
        if (entries.isEmpty()) {
            throw new WardenException(file + ": no crate names in this file");
        }
        return new PopularCrates(description.formatted(entries.size()), entries);
    }

    /**
     * {@code [A-Za-z0-9][A-Za-z0-9_-]*}, checked by hand: the built-in list has 23,559 lines, read at the start of
     * every gate, and a regular expression per line was a measurable part of it.
     */
    private static boolean crateName(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '_' && c != '-')) {
                return false;
            }
        }
        return true;
    }

    public String description() {
        return description;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The popular crate with this name (compared as crates.io compares names), or null. */
    public Entry find(String name) {
        return byNormalized.get(NameForms.normalized(name));
    }
}
