package dev.warden.cargo.manifest;

/**
 * A {@code [patch.<source>]} or {@code [replace]} entry: the dependency that takes the place of crates from
 * {@code source} (a registry name such as {@code crates-io} or a URL) or of the package spec {@code foo:1.0.0}.
 */
public record Override(Kind kind, String target, Dependency replacement) {

    public enum Kind { PATCH, REPLACE }
}
