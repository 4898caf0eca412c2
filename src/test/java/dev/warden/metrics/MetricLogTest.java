package dev.warden.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricLogTest {

    @TempDir
    Path dir;

    private static Instant at(String day, int hour) {
        return Instant.parse(day + "T" + String.format("%02d", hour) + ":00:00Z");
    }

    @Test
    void eachMetricAddsUpAsItSays() {
        try (MetricLog log = MetricLog.open(dir.resolve("store.db"), null)) {
            // Recorded out of order: the latest is the one with the latest time, not the last inserted.
            log.record("p", at("2026-11-02", 9), "gate#2", List.of(MetricLog.Measurement.of(Metric.VULNERABILITIES, 3),
                    MetricLog.Measurement.of(Metric.BLOCKED_CHANGES, 1), MetricLog.Measurement.of(Metric.LOCKED, 0)));
            log.record("p", at("2026-11-01", 9), "gate#1", List.of(MetricLog.Measurement.of(Metric.VULNERABILITIES, 5),
                    MetricLog.Measurement.of(Metric.BLOCKED_CHANGES, 1), MetricLog.Measurement.of(Metric.LOCKED, 1)));
            log.record("p", at("2026-11-02", 18), "gate#3", List.of(MetricLog.Measurement.of(Metric.BLOCKED_CHANGES, 0),
                    MetricLog.Measurement.of(Metric.LOCKED, 1), MetricLog.Measurement.of(Metric.LIBYEARS, Double.NaN)));
            log.record("other", at("2026-11-03", 9), "gate#4", List.of(
                    MetricLog.Measurement.of(Metric.BLOCKED_CHANGES, 7)));

            Map<Metric, MetricLog.Figure> all = log.figures("p", null);
            assertThat(all.get(Metric.VULNERABILITIES).value()).isEqualTo(3.0);
            assertThat(all.get(Metric.BLOCKED_CHANGES).value()).isEqualTo(2.0);
            assertThat(all.get(Metric.LOCKED).value()).isEqualTo(2 / 3.0);
            assertThat(all).as("nothing measured is not a zero").doesNotContainKey(Metric.LIBYEARS);
            Map<Metric, MetricLog.Figure> later = log.figures("p", at("2026-11-02", 0));
            assertThat(later.get(Metric.BLOCKED_CHANGES).value()).isEqualTo(1.0);
            assertThat(later.get(Metric.LOCKED).value()).isEqualTo(0.5);
            assertThat(all.get(Metric.LOCKED).runs()).isEqualTo(3);
            assertThat(log.trend("p", Metric.BLOCKED_CHANGES, null)).containsExactly(
                    new MetricLog.Point(LocalDate.parse("2026-11-01"), 1), new MetricLog.Point(LocalDate.parse("2026-11-02"), 1));
            assertThat(log.trend("p", Metric.LOCKED, null)).extracting(MetricLog.Point::value).containsExactly(1.0, 0.5);
            assertThat(log.trend("p", Metric.VULNERABILITIES, null)).extracting(MetricLog.Point::value)
                    .containsExactly(5.0, 3.0);
        }
    }

    @Test
    void subjectsAreComparedWithTheRecordingBefore() {
        try (MetricLog log = MetricLog.open(dir.resolve("store.db"), null)) {
            log.record("p", at("2026-11-01", 9), "scan", List.of(new MetricLog.Measurement(Metric.UNSAFE, "a", 4),
                    new MetricLog.Measurement(Metric.UNSAFE, "b", 1)));
            assertThat(log.bySubject("p", Metric.UNSAFE)).extracting(MetricLog.SubjectValue::previous)
                    .containsOnlyNulls();
            log.record("p", at("2026-11-05", 9), "scan", List.of(new MetricLog.Measurement(Metric.UNSAFE, "a", 6),
                    new MetricLog.Measurement(Metric.UNSAFE, "c", 2)));
            List<MetricLog.SubjectValue> now = log.bySubject("p", Metric.UNSAFE);
            assertThat(now).extracting(MetricLog.SubjectValue::subject).containsExactly("a", "c");
            assertThat(now).extracting(MetricLog.SubjectValue::previous).containsExactly(4.0, 0.0);
        }
    }

    @Test
    void whatReadOnlyCommandsJournalTheStoreTakesInOnce() throws Exception {
        Path store = dir.resolve("store.db");
        MetricJournal.append(store, "p", at("2026-11-01", 9), "audit", List.of(
                MetricLog.Measurement.of(Metric.VULNERABILITIES, 2), MetricLog.Measurement.of(Metric.LIBYEARS,
                        Double.NaN), new MetricLog.Measurement(Metric.UNSAFE, "tab\tcrate", 3)));
        MetricJournal.append(store, "p", at("2026-11-02", 9), "audit", List.of(
                MetricLog.Measurement.of(Metric.VULNERABILITIES, 1)));
        java.nio.file.Files.writeString(MetricJournal.of(store), "not\ta line\n", java.nio.file.StandardOpenOption.APPEND);
        try (MetricLog log = MetricLog.open(store, null)) {
            assertThat(log.figures("p", null).get(Metric.VULNERABILITIES).value()).isEqualTo(1.0);
            assertThat(log.figures("p", null)).doesNotContainKey(Metric.LIBYEARS);
            assertThat(log.trend("p", Metric.VULNERABILITIES, null)).hasSize(2);
            assertThat(log.bySubject("p", Metric.UNSAFE)).extracting(MetricLog.SubjectValue::subject)
                    .containsExactly("tab crate");
        }
        assertThat(dir.toFile().list()).noneMatch(name -> name.contains(".metrics"));
        try (MetricLog log = MetricLog.open(store, null)) {
            assertThat(log.figures("p", null).get(Metric.VULNERABILITIES).runs()).as("taken in once").isEqualTo(2);
        }
    }
}
