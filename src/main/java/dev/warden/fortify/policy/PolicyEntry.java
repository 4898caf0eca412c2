package dev.warden.fortify.policy;

import dev.warden.toml.TomlDateTime;
import dev.warden.toml.TomlTable;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * One {@code { … }} entry of a policy list (an ignore, an allow): known keys only, fields of the right type, required
 * ones present — every problem recorded with its line, and the entry dropped if it has any.
 */
final class PolicyEntry {

    private final TomlTable table;
    private final int line;
    private final String file;
    private final PolicyProblems problems;
    private final int problemsBefore;

    private PolicyEntry(TomlTable table, int line, String file, PolicyProblems problems) {
        this.table = table;
        this.line = line;
        this.file = file;
        this.problems = problems;
        this.problemsBefore = problems.count();
    }

    /**
     * @param noun    what the entry is, for messages: "audit ignore"
     * @param keys    the keys it may have, in the order messages list them
     * @param example how one looks, for the message when it is not a table
     */
    static Optional<PolicyEntry> of(Object value, int line, TomlTable owner, String noun, List<String> keys,
                                    String example, PolicyProblems problems) {
        if (!(value instanceof TomlTable table)) {
            problems.add(line, "each " + noun + " must be a table " + example);
            return Optional.empty();
        }
        PolicyEntry entry = new PolicyEntry(table, line,
                owner.source() == null ? PolicyLoader.FILE_NAME : owner.source().toString(), problems);
        String article = "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ";
        for (String key : table.keys()) {
            if (!keys.contains(key)) {
                problems.add(table.line(key), "unknown key '" + key + "' in " + article + noun + " (expected "
                        + String.join(", ", keys) + ")");
            }
        }
        return Optional.of(entry);
    }

    /** An optional string field. */
    String string(String key) {
        String[] value = {null};
        problems.attempt(() -> value[0] = table.getString(key));
        return value[0];
    }

    /** A string field that must be there and not blank; {@code missing} is the message when it is not. */
    String required(String key, String missing) {
        String value = string(key);
        if (value == null || value.isBlank()) {
            problems.add(line, missing);
        }
        return value;
    }

    /** An optional date, written as a TOML date or a {@code YYYY-MM-DD} string. */
    LocalDate date(String key) {
        Object value = table.get(key);
        if (value instanceof TomlDateTime date && date.value() instanceof LocalDate local) {
            return local;
        }
        if (value instanceof String text) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(table.line(key), key + " must be a date (YYYY-MM-DD), found '" + text + "'");
                return null;
            }
        }
        if (value != null) {
            problems.add(table.line(key), key + " must be a date (YYYY-MM-DD)");
        }
        return null;
    }

    void problem(String key, String message) {
        problems.add(table.line(key), message);
    }

    /** Whether the entry had no problem, so it can be used. */
    boolean valid() {
        return problems.count() == problemsBefore;
    }

    int line() {
        return line;
    }

    String file() {
        return file;
    }
}
