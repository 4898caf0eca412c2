package dev.warden.cargo.config;

import java.nio.file.Path;

/**
 * A {@code [source.<name>]} entry. Exactly one of the location fields is set for a real source; a source that only
 * says {@code replace-with} redirects to another one.
 *
 * @param replaceWith   the source that replaces this one, or null
 * @param directory     {@code directory = "…"} (vendored sources), resolved, or null
 * @param localRegistry {@code local-registry = "…"}, resolved, or null
 * @param registry      {@code registry = "URL"} (a git or {@code sparse+} index), or null
 * @param git           {@code git = "URL"}, or null
 */
public record SourceDefinition(String name, String replaceWith, Path directory, Path localRegistry, String registry,
                               String git, Path definedIn, int line) {
}
