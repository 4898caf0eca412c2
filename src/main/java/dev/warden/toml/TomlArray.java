package dev.warden.toml;

import dev.warden.core.WardenException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A TOML array (a value array or an array of tables) with the line of each element. */
public final class TomlArray {

    private final List<Object> values = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private final boolean ofTables;

    TomlArray(boolean ofTables) {
        this.ofTables = ofTables;
    }

    /** True for an array created by {@code [[header]]}; only those may be extended by further headers. */
    public boolean isArrayOfTables() {
        return ofTables;
    }

    public int size() {
        return values.size();
    }

    public Object get(int index) {
        return values.get(index);
    }

    public int line(int index) {
        return lines.get(index);
    }

    public List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    void add(Object value, int line) {
        values.add(value);
        lines.add(line);
    }

    /** The elements as tables, failing with the element's line if one is not a table. */
    public List<TomlTable> tables(TomlTable owner, String key) {
        return typed(owner, key, TomlTable.class, "tables");
    }

    /** The elements as strings, failing with the element's line if one is not a string. */
    public List<String> strings(TomlTable owner, String key) {
        return typed(owner, key, String.class, "strings");
    }

    private <T> List<T> typed(TomlTable owner, String key, Class<T> type, String plural) {
        List<T> typed = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!type.isInstance(values.get(i))) {
                throw WardenException.at(owner.source(), lines.get(i),
                        "'" + key + "' must contain only " + plural + ", found " + TomlTable.describe(values.get(i)));
            }
            typed.add(type.cast(values.get(i)));
        }
        return typed;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
