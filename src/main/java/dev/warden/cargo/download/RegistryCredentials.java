package dev.warden.cargo.download;

import dev.warden.core.Environment;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A registry's token, found where Cargo looks: {@code CARGO_REGISTRIES_<NAME>_TOKEN}, then
 * {@code [registries.<name>] token} in {@code $CARGO_HOME/credentials.toml} (or the older {@code credentials}).
 * The value is only ever put in an {@code Authorization} header to the registry it belongs to; it is never printed,
 * stored or part of a message.
 */
public final class RegistryCredentials {

    private final Environment env;

    public RegistryCredentials(Environment env) {
        this.env = env;
    }

    public Optional<String> token(String registry) {
        String variable = "CARGO_REGISTRIES_" + registry.toUpperCase(Locale.ROOT).replace('-', '_') + "_TOKEN";
        Optional<String> fromEnv = env.variable(variable);
        if (fromEnv.isPresent()) {
            return fromEnv;
        }
        for (String name : new String[] {"credentials.toml", "credentials"}) {
            Path file = env.cargoHome().resolve(name);
            if (Files.isRegularFile(file)) {
                TomlTable root = Toml.parse(file);
                if (root.get("registries") instanceof TomlTable registries
                        && registries.get(registry) instanceof TomlTable entry
                        && entry.get("token") instanceof String token && !token.isEmpty()) {
                    return Optional.of(token);
                }
            }
        }
        return Optional.empty();
    }
}
