package dev.warden.toml;

import dev.warden.core.WardenException;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TOML table that remembers where each key was written, so configuration errors can name the file and line.
 * Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link TomlDateTime}, {@link TomlArray}
 * or {@link TomlTable}. Tables are mutable only while the parser builds them.
 */
public final class TomlTable {

    /** How a table came to exist; TOML forbids defining the same table twice in different ways. */
    enum Origin { IMPLICIT, HEADER, DOTTED, INLINE, ARRAY_ELEMENT, ROOT }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    private final Path source;
    private final int line;
    Origin origin;

    TomlTable(Path source, int line, Origin origin) {
        this.source = source;
        this.line = line;
        this.origin = origin;
    }

    /** The file this table was read from (may be null for in-memory text). */
    public Path source() {
        return source;
    }

    /** The 1-based line where this table was opened (its header, its first dotted key, or its inline brace). */
    public int line() {
        return line;
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Object get(String key) {
        return values.get(key);
    }

    /** The line where {@code key} was written, or this table's own line when the key is absent. */
    public int line(String key) {
        return lines.getOrDefault(key, line);
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    void put(String key, Object value, int keyLine) {
        values.put(key, value);
        lines.put(key, keyLine);
    }

    /** A user-facing error located at {@code key}'s line in this table's file. */
    public WardenException error(String key, String message) {
        return WardenException.at(source, line(key), message);
    }

    public String getString(String key) {
        return typed(key, String.class, "a string");
    }

    public String getString(String key, String fallback) {
        String value = getString(key);
        return value == null ? fallback : value;
    }

    public Boolean getBoolean(String key) {
        return typed(key, Boolean.class, "a boolean");
    }

    public boolean getBoolean(String key, boolean fallback) {
        Boolean value = getBoolean(key);
        return value == null ? fallback : value;
    }

    public Long getInteger(String key) {
        return typed(key, Long.class, "an integer");
    }

    public TomlTable getTable(String key) {
        return typed(key, TomlTable.class, "a table");
    }

    public TomlArray getArray(String key) {
        return typed(key, TomlArray.class, "an array");
    }

    /** A list of strings; a missing key gives an empty list. */
    public List<String> getStrings(String key) {
        TomlArray array = getArray(key);
        return array == null ? List.of() : array.strings(this, key);
    }

    private <T> T typed(String key, Class<T> type, String description) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw error(key, "'" + key + "' must be " + description + ", found " + describe(value));
        }
        return type.cast(value);
    }

    static String describe(Object value) {
        return switch (value) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case TomlDateTime t -> "a date-time";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            default -> value.getClass().getSimpleName();
        };
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
