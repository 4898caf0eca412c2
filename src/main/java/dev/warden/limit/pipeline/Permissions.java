package dev.warden.limit.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GitHub Actions {@code permissions:} block as written: a shorthand ({@code write-all}, {@code read-all}, or
 * {@code {}} for none) or one access level per scope.
 *
 * @param line      where it is declared
 * @param shorthand {@code write-all} or {@code read-all}, or null when scopes are listed
 * @param scopes    scope → {@code read}, {@code write} or {@code none}
 */
public record Permissions(int line, String shorthand, Map<String, Value> scopes) {

    public Permissions {
        scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
    }

    public boolean writeAll() {
        return "write-all".equals(shorthand);
    }

    /** The scopes granted write access, in a stable order ({@code write-all} grants every scope in {@code of}). */
    public List<String> writes(List<String> of) {
        if (writeAll()) {
            return of;
        }
        return of.stream().filter(scope -> scopes.containsKey(scope)
                && scopes.get(scope).text().equals("write")).toList();
    }

    /** The line of one scope's grant, or the block's line. */
    public int lineOf(String scope) {
        Value value = scopes.get(scope);
        return value == null ? line : value.line();
    }
}
