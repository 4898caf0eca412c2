package dev.warden.toml;

import java.time.temporal.TemporalAccessor;

/**
 * A TOML date, time or date-time. {@code value} is an {@link java.time.OffsetDateTime},
 * {@link java.time.LocalDateTime}, {@link java.time.LocalDate} or {@link java.time.LocalTime}; {@code text} is the
 * literal as written.
 */
public record TomlDateTime(String text, TemporalAccessor value) {

    @Override
    public String toString() {
        return text;
    }
}
