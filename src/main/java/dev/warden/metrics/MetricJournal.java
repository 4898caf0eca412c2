package dev.warden.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where read-only commands ({@code audit}, {@code recon}, {@code scan}, {@code churn}) leave what they measured: a
 * line per value appended to a file next to the store, which the store takes in the next time it is opened
 * ({@link MetricLog#open}). Opening SQLite costs those commands a tenth of a second — more than some of them take —
 * while one append costs nothing; the history is the same.
 *
 * <p>A line: project, metric key, subject (empty for none), value, time, source, separated by tabs. A run's lines
 * are one write to a file opened for appending, so runs in parallel do not interleave.
 */
public final class MetricJournal {

    private MetricJournal() {
    }

    /** The journal of the store at {@code store}. */
    static Path of(Path store) {
        return store.resolveSibling(store.getFileName() + ".metrics");
    }

    /** Whether values wait in the journal (a store that was never opened may have them). */
    static boolean pending(Path store) {
        return Files.exists(of(store));
    }

    public static void append(Path store, String project, Instant at, String source,
                              List<MetricLog.Measurement> measurements) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (MetricLog.Measurement m : measurements) {
            if (Double.isFinite(m.value())) {
                lines.append(clean(project)).append('\t').append(m.metric().key()).append('\t')
                        .append(m.subject() == null ? "" : clean(m.subject())).append('\t').append(m.value())
                        .append('\t').append(at).append('\t').append(clean(source)).append('\n');
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        Path journal = of(store);
        Files.createDirectories(journal.toAbsolutePath().getParent());
        Files.write(journal, lines.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** One journal line, read back. */
    record Entry(String project, String source, Instant at, MetricLog.Measurement measurement) {
    }

    /**
     * Moves the journal aside and returns it with what it holds (and any journal a run stopped before importing);
     * the caller stores the entries and then deletes the files. Lines that do not parse are left out.
     */
    static List<Path> claim(Path store, List<Entry> into) throws IOException {
        Path journal = of(store);
        List<Path> claimed = new ArrayList<>();
        if (Files.exists(journal)) {
            Path aside = journal.resolveSibling(journal.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime());
            try {
                Files.move(journal, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another run took it in the meantime
            }
        }
        Path dir = journal.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return claimed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, journal.getFileName() + ".*")) {
            for (Path file : files) {
                if (!ours(file)) {
                    continue;
                }
                claimed.add(file);
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Entry entry = parse(line);
                    if (entry != null) {
                        into.add(entry);
                    }
                }
            }
        }
        return claimed;
    }

    /** Journals this run moved aside, or that a run which has ended moved aside and did not take in. */
    private static boolean ours(Path aside) {
        String[] parts = aside.getFileName().toString().split("\\.");
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static Entry parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 6) {
            return null;
        }
        Metric metric = Metric.byKey(fields[1]);
        try {
            return metric == null ? null : new Entry(fields[0], fields[5], Instant.parse(fields[4]),
                    new MetricLog.Measurement(metric, fields[2].isEmpty() ? null : fields[2],
                            Double.parseDouble(fields[3])));
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
