package dev.warden.recon.publishers;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.warden.core.WardenException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams crates.io's public database dump ({@code db-dump.tar.gz}: {@code <date>/data/crates.csv}, {@code
 * versions.csv}, {@code users.csv}, {@code crate_owners.csv}, {@code teams.csv}, {@code crate_downloads.csv},
 * {@code metadata.json} …) entry by entry, never unpacked: each table's rows go to a {@link Sink} as they are read.
 * The CSV files are PostgreSQL's {@code COPY … CSV HEADER}: columns found by header name (the dump adds columns over
 * time), booleans {@code t}/{@code f}, NULL as an empty field, timestamps in UTC without a zone, quoted fields that
 * span lines (readmes, descriptions).
 */
public final class DbDump {

    /** The tables the snapshot keeps; the others (readmes aside, version downloads by day: gigabytes) are skipped. */
    static final Set<String> TABLES = Set.of("crates", "versions", "users", "teams", "crate_owners",
            "crate_downloads");

    /** Receives the rows of one table, a row as column name → text (null for NULL). */
    public interface Sink {
        void row(String table, Map<String, String> row) throws IOException;

        /** The dump's own timestamp, from {@code metadata.json}. */
        void dumpedAt(Instant at);
    }

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9,
                    true).optionalEnd().optionalStart().appendOffset("+HH:mm", "Z").optionalEnd().toFormatter();

    private DbDump() {
    }

    /**
     * Reads {@code in} (the .tar.gz) to the end.
     *
     * @param display the dump's name in messages
     * @return the tables found
     */
    public static Set<String> read(InputStream in, String display, Sink sink) {
        Set<String> seen = new java.util.TreeSet<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(in, 1 << 16)))) {
            CsvMapper mapper = new CsvMapper();
            mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (!entry.isFile()) {
                    continue;
                }
                if (name.endsWith("/metadata.json") || name.equals("metadata.json")) {
                    metadata(tar, sink);
                    continue;
                }
                String table = table(name);
                if (table == null || !TABLES.contains(table)) {
                    continue;
                }
                seen.add(table);
                rows(mapper, unclosable(tar), table, sink, display + ": " + name);
            }
        } catch (IOException e) {
            throw new WardenException(display + ": not a readable crates.io database dump: " + e.getMessage());
        }
        return seen;
    }

    /** {@code 2026-12-01-020014/data/versions.csv} → {@code versions}. */
    static String table(String entry) {
        int slash = entry.lastIndexOf('/');
        String file = entry.substring(slash + 1);
        String parent = slash < 0 ? "" : entry.substring(0, slash);
        if (!file.endsWith(".csv") || !(parent.equals("data") || parent.endsWith("/data"))) {
            return null;
        }
        return file.substring(0, file.length() - 4);
    }

    private static void rows(CsvMapper mapper, InputStream in, String table, Sink sink, String where)
            throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class).with(schema)
                .readValues(reader)) {
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                row.replaceAll((column, value) -> value == null || value.isEmpty() ? null : value);
                sink.row(table, row);
            }
        } catch (RuntimeException e) {
            throw new IOException(where + ": " + e.getMessage().lines().findFirst().orElse("unreadable CSV"));
        }
    }

    private static void metadata(InputStream in, Sink sink) throws IOException {
        byte[] bytes = in.readNBytes(64 * 1024);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
        String timestamp = node.path("timestamp").asText(null);
        if (timestamp != null) {
            sink.dumpedAt(Instant.parse(timestamp));
        }
    }

    /** A dump timestamp ({@code 2015-12-12 10:24:51.283927}, UTC) as an instant, or null. */
    public static Instant timestamp(String text) {
        if (text == null) {
            return null;
        }
        var parsed = TIMESTAMP.parse(text);
        LocalDateTime local = LocalDateTime.from(parsed);
        return parsed.isSupported(ChronoField.OFFSET_SECONDS)
                ? local.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)))
                : local.toInstant(ZoneOffset.UTC);
    }

    public static boolean bool(String text) {
        return "t".equals(text) || "true".equals(text);
    }

    /** The tar stream stays open when a table's reader closes. */
    private static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    static List<String> required() {
        return List.of("crates", "versions", "users", "crate_owners");
    }
}
