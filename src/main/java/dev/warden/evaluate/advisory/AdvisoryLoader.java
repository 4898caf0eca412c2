package dev.warden.evaluate.advisory;

import dev.warden.core.InputFiles;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads advisory data: the snapshot embedded in Warden, a RustSec advisory-db checkout (a directory with
 * {@code crates/}), OSV records (a directory of {@code .json} files, one {@code .json} record, or a {@code .jsonl}
 * file with one record per line), or a Warden index file ({@code .db}). Files that cannot be read — bad TOML, missing fields,
 * oversized — are reported in {@link AdvisoryDatabase#problems()} and skipped; they never stop an audit.
 */
public final class AdvisoryLoader {

    static final String EMBEDDED_RESOURCE = "embedded.db";

    private AdvisoryLoader() {
    }

    /** The RustSec + OSSF snapshot built into Warden's jar. */
    public static AdvisoryDatabase embedded() {
        try (InputStream in = AdvisoryLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded advisory index missing from the build");
            }
            return AdvisoryIndex.read(in.readAllBytes(), "embedded advisory index");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and merges every source; each path is a checkout, an OSV directory or file, or an index file. */
    public static AdvisoryDatabase load(List<Path> paths) {
        List<Advisory> advisories = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new WardenException(path + ": no such advisory database");
            }
            if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
                throw new WardenException(path + ": not a regular file or directory, so not read as advisory data");
            }
            names.add(path.toString());
            if (path.getFileName().toString().endsWith(".db") && Files.isRegularFile(path)) {
                advisories.addAll(readIndex(path).all());
            } else if (Files.isDirectory(path.resolve("crates"))) {
                readRustsec(path.resolve("crates"), advisories, problems);
            } else {
                readOsv(path, advisories, problems);
            }
        }
        LocalDate newest = advisories.stream().map(Advisory::date).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        return AdvisoryDatabase.of(String.join(", ", names), newest, advisories, problems);
    }

    /** A Warden index file, as written by the build or by {@code warden db update}. */
    public static AdvisoryDatabase readIndex(Path file) {
        return AdvisoryIndex.read(InputFiles.read(file, 512L << 20, "an advisory index"), file.toString());
    }

    private static void readRustsec(Path crates, List<Advisory> out, List<String> problems) {
        for (Path file : files(crates, ".md")) {
            try {
                out.add(RustsecParser.parse(file));
            } catch (WardenException e) {
                problems.add(e.getMessage() + " (skipped)");
            }
        }
    }

    private static void readOsv(Path path, List<Advisory> out, List<String> problems) {
        List<Path> files = Files.isDirectory(path) ? files(path, ".json") : List.of(path);
        if (Files.isDirectory(path)) {
            files = new ArrayList<>(files);
            files.addAll(files(path, ".jsonl"));
        }
        for (Path file : files) {
            try {
                if (Files.size(file) > 64L * RustsecParser.MAX_BYTES) {
                    problems.add(file + ": over the size limit for advisory data (skipped)");
                    continue;
                }
                if (file.getFileName().toString().endsWith(".jsonl")) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        if (!lines.get(i).isBlank()) {
                            parseOsv(lines.get(i), file + ":" + (i + 1), out, problems);
                        }
                    }
                } else if (Files.size(file) > RustsecParser.MAX_BYTES) {
                    problems.add(file + ": over the size limit for one advisory (skipped)");
                } else {
                    parseOsv(Files.readString(file, StandardCharsets.UTF_8), file.toString(), out, problems);
                }
            } catch (IOException e) {
                problems.add(file + ": cannot read: " + e.getMessage() + " (skipped)");
            }
        }
    }

    private static void parseOsv(String json, String origin, List<Advisory> out, List<String> problems) {
        try {
            out.addAll(OsvParser.parse(json, origin));
        } catch (WardenException e) {
            problems.add(e.getMessage() + " (skipped)");
        }
    }

    private static List<Path> files(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
