package dev.warden.cargo.config;

import java.nio.file.Path;

/**
 * A {@code [registries.<name>]} entry. Only whether a token is present is kept; Warden never holds registry tokens.
 *
 * @param tokenInConfig true when a plaintext {@code token} sits in the config file (a secret on disk)
 */
public record RegistryDefinition(String name, String index, boolean tokenInConfig, Path definedIn, int line) {
}
