package dev.warden.metrics;

import dev.warden.core.Environment;
import dev.warden.core.store.Database;
import dev.warden.core.store.StoreLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics history, one table in the project's store: every command that computes a metric records its value
 * with a timestamp and the run it came from ({@code gate#12}, {@code build#3}, {@code report}), so the report draws
 * trends without re-running anything. A value may be about one subject (a crate's {@code unsafe} count, a drill
 * scenario's MTTD); project-wide values have none.
 */
public final class MetricLog implements AutoCloseable {

    /** One value: about the project when {@code subject} is null. */
    public record Measurement(Metric metric, String subject, double value) {

        public static Measurement of(Metric metric, double value) {
            return new Measurement(metric, null, value);
        }
    }

    /** One day of a metric's history, aggregated as the metric says. */
    public record Point(LocalDate day, double value) {
    }

    /** A subject's latest value and the one recorded before it (null when there is none). */
    public record SubjectValue(String subject, double value, Double previous, Instant at, String source) {
    }

    private final Database store;
    /** Whether closing the log closes the store (not when the log is a view of a store someone else holds). */
    private final boolean owner;

    private MetricLog(Database store, boolean owner) {
        this.store = store;
        this.owner = owner;
    }

    /**
     * @param journal     where read-only commands left their measurements for this store ({@link StoreLocation#journal})
     * @param nativeCache where to keep sqlite-jdbc's native library once unpacked (see {@link Database#open})
     */
    public static MetricLog open(StoreLocation location, Path journal, Path nativeCache) {
        MetricLog log = new MetricLog(Database.open(location, "the metrics history", nativeCache), true);
        log.takeInJournal(journal);
        return log;
    }

    /** The history in a store the caller opened and closes, with its journal at {@code journal}. */
    public static MetricLog on(Database store, Path journal) {
        MetricLog log = new MetricLog(store, false);
        log.takeInJournal(journal);
        return log;
    }

    /** The history in {@code location}, with its journal where {@code env} keeps it, the native library in its cache. */
    public static MetricLog open(StoreLocation location, Environment env) {
        return open(location, location.journal(env), env.cacheDirectory());
    }

    /** The history in a SQLite file, with its journal beside it. */
    public static MetricLog open(Path file, Path nativeCache) {
        return open(new StoreLocation.Sqlite(file), file, nativeCache);
    }

    /** Stores what read-only commands left in the {@link MetricJournal}, then removes it. */
    private void takeInJournal(Path file) {
        List<MetricJournal.Entry> entries = new ArrayList<>();
        List<Path> claimed;
        try {
            claimed = MetricJournal.claim(file, entries);
        } catch (IOException e) {
            return; // unreadable: left for a later run
        }
        if (claimed.isEmpty()) {
            return;
        }
        store.transaction(db -> {
            try (PreparedStatement insert = db.prepareStatement(INSERT)) {
                for (MetricJournal.Entry entry : entries) {
                    bind(insert, entry.project(), entry.at(), entry.source(), entry.measurement());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        for (Path journal : claimed) {
            try {
                Files.deleteIfExists(journal);
            } catch (IOException e) {
                // taken in already; a later run would store it twice only if it could read but not delete it
            }
        }
    }

    private static final String INSERT = "INSERT INTO metrics (project, metric, subject, value, unit, at, source) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";

    private static void bind(PreparedStatement insert, String project, Instant at, String source,
                             Measurement measurement) throws SQLException {
        insert.setString(1, project);
        insert.setString(2, measurement.metric().key());
        insert.setString(3, measurement.subject());
        insert.setDouble(4, measurement.value());
        insert.setString(5, measurement.metric().unit().key());
        insert.setString(6, at.toString());
        insert.setString(7, source);
    }

    /** Records the measurements of one run, all or nothing. */
    public void record(String project, Instant at, String source, List<Measurement> measurements) {
        store.transaction(db -> {
            try (PreparedStatement insert = db.prepareStatement(INSERT)) {
                for (Measurement measurement : measurements) {
                    if (Double.isNaN(measurement.value()) || Double.isInfinite(measurement.value())) {
                        continue; // nothing was measured
                    }
                    bind(insert, project, at, source, measurement);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** A metric's figure for a period, and how many runs recorded it (a mean's denominator, a sum's count). */
    public record Figure(double value, int runs) {
    }

    /**
     * Each metric's figure since {@code since} (null: all history), from project-wide values: the latest for state
     * metrics, the sum or mean of the runs' values for the others. Metrics never recorded are absent.
     */
    public Map<Metric, Figure> figures(String project, Instant since) {
        return store.sql(db -> {
            Map<Metric, Figure> figures = new EnumMap<>(Metric.class);
            try (PreparedStatement select = db.prepareStatement("SELECT metric, sum(value), avg(value), "
                    + "(SELECT value FROM metrics AS last WHERE last.project = m.project AND last.metric = m.metric "
                    + "AND last.subject IS NULL AND last.at >= ? ORDER BY at DESC, id DESC LIMIT 1), count(*) "
                    + "FROM metrics AS m WHERE project = ? AND subject IS NULL AND at >= ? GROUP BY metric")) {
                String from = since == null ? "" : since.toString();
                select.setString(1, from);
                select.setString(2, project);
                select.setString(3, from);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Metric metric = Metric.byKey(rows.getString(1));
                        if (metric != null) {
                            figures.put(metric, new Figure(switch (metric.aggregation()) {
                                case SUM -> rows.getDouble(2);
                                case MEAN -> rows.getDouble(3);
                                case LATEST -> rows.getDouble(4);
                            }, rows.getInt(5)));
                        }
                    }
                }
            }
            return figures;
        });
    }

    /** The metric's history by day (UTC), aggregated within each day as the metric says, oldest first. */
    public List<Point> trend(String project, Metric metric, Instant since) {
        return store.sql(db -> {
            // One row per value, oldest first; folded per day here so that both dialects read the same query.
            Map<LocalDate, double[]> days = new LinkedHashMap<>(); // day -> {sum, count, latest}
            try (PreparedStatement select = db.prepareStatement("SELECT substr(at, 1, 10), value FROM metrics "
                    + "WHERE project = ? AND metric = ? AND subject IS NULL AND at >= ? ORDER BY at, id")) {
                select.setString(1, project);
                select.setString(2, metric.key());
                select.setString(3, since == null ? "" : since.toString());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        double[] day = days.computeIfAbsent(LocalDate.parse(rows.getString(1)), d -> new double[3]);
                        day[0] += rows.getDouble(2);
                        day[1]++;
                        day[2] = rows.getDouble(2);
                    }
                }
            }
            List<Point> points = new ArrayList<>();
            days.forEach((day, values) -> points.add(new Point(day, switch (metric.aggregation()) {
                case SUM -> values[0];
                case MEAN -> values[0] / values[1];
                case LATEST -> values[2];
            })));
            return points;
        });
    }

    /**
     * Per subject, the value of the latest recording that named any subject for this metric, and the subject's
     * value in the recording before it: the per-crate {@code unsafe} counts "since the last report".
     */
    public List<SubjectValue> bySubject(String project, Metric metric) {
        return store.sql(db -> {
            // A recording is one run's values: the same source at the same time.
            List<String[]> recordings = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT source, at FROM metrics WHERE project = ? "
                    + "AND metric = ? AND subject IS NOT NULL GROUP BY source, at ORDER BY at DESC, max(id) DESC "
                    + "LIMIT 2")) {
                select.setString(1, project);
                select.setString(2, metric.key());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recordings.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            if (recordings.isEmpty()) {
                return List.of();
            }
            Map<String, SubjectValue> latest = new LinkedHashMap<>();
            Map<String, Double> previous = new LinkedHashMap<>();
            try (PreparedStatement select = db.prepareStatement("SELECT subject, value, at, source FROM metrics "
                    + "WHERE project = ? AND metric = ? AND subject IS NOT NULL AND source = ? AND at = ? "
                    + "ORDER BY value DESC, subject")) {
                for (int i = 0; i < recordings.size(); i++) {
                    select.setString(1, project);
                    select.setString(2, metric.key());
                    select.setString(3, recordings.get(i)[0]);
                    select.setString(4, recordings.get(i)[1]);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            if (i == 0) {
                                latest.put(rows.getString(1), new SubjectValue(rows.getString(1), rows.getDouble(2),
                                        null, Instant.parse(rows.getString(3)), rows.getString(4)));
                            } else {
                                previous.put(rows.getString(1), rows.getDouble(2));
                            }
                        }
                    }
                }
            }
            boolean compared = recordings.size() > 1;
            return latest.values().stream().map(v -> new SubjectValue(v.subject(), v.value(),
                    compared ? previous.getOrDefault(v.subject(), 0.0) : null, v.at(), v.source()))
                    .toList();
        });
    }

    /** Every subject's latest value of a metric, with when and by which run it was recorded. */
    public List<SubjectValue> latestPerSubject(String project, Metric metric) {
        return store.sql(db -> {
            List<SubjectValue> values = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT subject, value, max(at), source FROM metrics "
                    + "WHERE project = ? AND metric = ? AND subject IS NOT NULL GROUP BY subject ORDER BY subject")) {
                select.setString(1, project);
                select.setString(2, metric.key());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        values.add(new SubjectValue(rows.getString(1), rows.getDouble(2), null,
                                Instant.parse(rows.getString(3)), rows.getString(4)));
                    }
                }
            }
            return values;
        });
    }

    @Override
    public void close() {
        if (owner) {
            store.close();
        }
    }
}
