package dev.warden.recon.typosquat;

import dev.warden.core.Tasks;
import dev.warden.core.InputFiles;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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

    /** The packed form of the built-in list, written when Warden is built ({@link PopularIndexBuilder}). */
    static final String EMBEDDED_INDEX = "popular-crates.idx";

    private static volatile PopularCrates embedded;

    /** Indexed with the default settings: the only ones Warden uses, and the ones the embedded list is packed with. */
    private final TargetIndex index;
    private volatile List<Entry> entries;
    private volatile TargetIndex otherSettings;

    private PopularCrates(TargetIndex index) {
        this.index = index;
    }

    /** Indexes {@code entries}, best rank first: of two entries with the same name, the better-ranked one counts. */
    private static PopularCrates indexed(String description, List<Entry> entries) {
        return new PopularCrates(index(entries, TyposquatDetector.Settings.DEFAULT, description));
    }

    private static TargetIndex index(List<Entry> entries, TyposquatDetector.Settings settings, String description) {
        TargetIndex.Builder builder = TargetIndex.builder(settings);
        entries.stream().sorted(Comparator.comparingInt(Entry::rank))
                .forEach(entry -> builder.add(entry.name(), entry.rank(), false));
        return builder.build(description);
    }

    /**
     * Starts reading the built-in list on another core, for a command that will check names once it has read the
     * project: the read (a few megabytes to inflate) then overlaps that work.
     */
    public static void preload() {
        Tasks.warmUp("popular-preload", PopularCrates::embedded);
    }

    public static PopularCrates embedded() {
        PopularCrates loaded = embedded;
        if (loaded == null) {
            synchronized (PopularCrates.class) {
                loaded = embedded;
                if (loaded == null) {
                    loaded = load();
                    embedded = loaded;
                }
            }
        }
        return loaded;
    }

    private static PopularCrates load() {
        try (InputStream in = PopularCrates.class.getResourceAsStream(EMBEDDED_INDEX)) {
            TargetIndex index = in == null ? null : TargetIndex.read(in.readAllBytes());
            if (index == null) {
                throw new IllegalStateException("missing or unreadable resource " + EMBEDDED_INDEX
                        + " (written by the build)");
            }
            return new PopularCrates(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in list from its source file, for the build step that packs it. */
    static PopularCrates builtInSource(Path tsv) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            return parse(reader, tsv, "built-in list of %,d popular crates.io crates (2024-03-18 ranking)");
        }
    }

    /**
     * Reads a user's list: CSV or TSV with a header naming a {@code name} (or {@code normalized_name}) column and
     * optionally a {@code rank} column, or one name per line in rank order. Comment lines start with {@code #}.
     */
    /** crates.io's whole ranking is a few megabytes. */
    private static final long MAX_LIST_BYTES = 64L << 20;

    public static PopularCrates read(Path file) {
        String text = new String(InputFiles.read(file, MAX_LIST_BYTES, "a popular-crates list"),
                StandardCharsets.UTF_8);
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
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
                // the line is not echoed: a mistyped path may name a file of secrets (.env), and CI logs are public
                throw WardenException.at(file, lineNumber, "expected a crate name (letters, digits, '-' and '_')");
            }
            String name = fields[nameColumn].trim();
            int rank = rankColumn < 0 ? entries.size() + 1 : UNRANKED;
            if (rankColumn >= 0 && fields.length > rankColumn && !fields[rankColumn].isBlank()) {
                try {
                    rank = Integer.parseInt(fields[rankColumn].trim());
                } catch (NumberFormatException e) {
                    throw WardenException.at(file, lineNumber, "rank must be a whole number");
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
        return indexed(description.formatted(entries.size()), entries);
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
        return index.description();
    }

    /** The crates of the list, best rank first, each name once. */
    public List<Entry> entries() {
        List<Entry> all = entries;
        if (all == null) {
            all = index.targets().stream().map(PopularCrates::entry).toList();
            entries = all;
        }
        return all;
    }

    /** The popular crate with this name (compared as crates.io compares names), or null. */
    public Entry find(String name) {
        TargetIndex.Target target = index.named(NameForms.normalized(name));
        return target == null ? null : entry(target);
    }

    /** The list indexed for a detector with {@code settings}. */
    TargetIndex index(TyposquatDetector.Settings settings) {
        if (index.builtFor(settings)) {
            return index;
        }
        TargetIndex other = otherSettings;
        if (other == null || !other.builtFor(settings)) {
            other = index(entries(), settings, index.description());
            otherSettings = other;
        }
        return other;
    }

    private static Entry entry(TargetIndex.Target target) {
        return new Entry(target.name(), target.normalized(), target.rank());
    }

    /** Packs the list for embedding. */
    byte[] packed() {
        return index.write();
    }
}
