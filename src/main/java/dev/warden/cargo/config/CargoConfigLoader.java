package dev.warden.cargo.config;

import dev.warden.core.Environment;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and merges Cargo configuration the way Cargo does: {@code .cargo/config.toml} (or legacy
 * {@code .cargo/config}, which wins when both exist) in the start directory and every ancestor, then
 * {@code $CARGO_HOME/config.toml}. Deeper directories take precedence for single values; arrays are joined with
 * higher-precedence entries last. Relative paths are relative to the directory holding the {@code .cargo} folder.
 * {@code CARGO_NET_OFFLINE}, {@code CARGO_TARGET_DIR}/{@code CARGO_BUILD_TARGET_DIR},
 * {@code CARGO_REGISTRY_DEFAULT} and {@code CARGO_REGISTRIES_<NAME>_INDEX} override the files.
 */
public final class CargoConfigLoader {

    private CargoConfigLoader() {
    }

    public static CargoConfig load(Path startDirectory, Environment env) {
        List<Path> files = discover(startDirectory.toAbsolutePath().normalize(), env.cargoHome());
        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        Map<String, RegistryDefinition> registries = new LinkedHashMap<>();
        String defaultRegistry = null;
        boolean offline = false;
        Path targetDir = null;
        List<String> rustflags = new ArrayList<>();
        String rustcWrapper = null;
        List<String> buildTargets = new ArrayList<>();

        // Lowest precedence first, so later files overwrite single values and append to arrays.
        for (Path file : files.reversed()) {
            TomlTable root = Toml.parse(file);
            Path base = file.getParent().getParent();
            for (Map.Entry<String, TomlTable> entry : namedTables(root, "source").entrySet()) {
                String name = entry.getKey();
                TomlTable def = entry.getValue();
                sources.put(name, new SourceDefinition(name, def.getString("replace-with"),
                        path(base, def.getString("directory")), path(base, def.getString("local-registry")),
                        def.getString("registry"), def.getString("git"), file, def.line()));
            }
            for (Map.Entry<String, TomlTable> entry : namedTables(root, "registries").entrySet()) {
                String name = entry.getKey();
                TomlTable def = entry.getValue();
                RegistryDefinition previous = registries.get(name);
                String index = def.getString("index", previous == null ? null : previous.index());
                registries.put(name, new RegistryDefinition(name, index, def.contains("token")
                        || previous != null && previous.tokenInConfig(), file, def.line()));
            }
            TomlTable registry = root.getTable("registry");
            if (registry != null) {
                defaultRegistry = registry.getString("default", defaultRegistry);
            }
            TomlTable net = root.getTable("net");
            if (net != null) {
                offline = net.getBoolean("offline", offline);
            }
            TomlTable build = root.getTable("build");
            if (build != null) {
                targetDir = build.contains("target-dir") ? path(base, build.getString("target-dir")) : targetDir;
                rustflags.addAll(stringOrList(build, "rustflags"));
                rustcWrapper = build.getString("rustc-wrapper", rustcWrapper);
                buildTargets.addAll(stringOrList(build, "target"));
            }
        }

        String offlineVar = env.variable("CARGO_NET_OFFLINE").orElse(null);
        if (offlineVar != null) {
            offline = offlineVar.equals("true") || offlineVar.equals("1");
        }
        String targetVar = env.variable("CARGO_TARGET_DIR").or(() -> env.variable("CARGO_BUILD_TARGET_DIR")).orElse(null);
        if (targetVar != null) {
            targetDir = env.resolve(targetVar);
        }
        defaultRegistry = env.variable("CARGO_REGISTRY_DEFAULT").orElse(defaultRegistry);
        for (Map.Entry<String, String> variable : env.variables().entrySet()) {
            String key = variable.getKey();
            if (key.startsWith("CARGO_REGISTRIES_") && key.endsWith("_INDEX")) {
                String name = key.substring("CARGO_REGISTRIES_".length(), key.length() - "_INDEX".length())
                        .toLowerCase(Locale.ROOT).replace('_', '-');
                RegistryDefinition previous = registries.get(name);
                registries.put(name, new RegistryDefinition(name, variable.getValue(),
                        previous != null && previous.tokenInConfig(), null, 0));
            }
        }
        return new CargoConfig(files, sources, registries, defaultRegistry, offline, targetDir, rustflags,
                rustcWrapper, buildTargets);
    }

    /** The sub-tables of {@code [key.<name>]}, each of which must be a table. */
    private static Map<String, TomlTable> namedTables(TomlTable root, String key) {
        TomlTable parent = root.getTable(key);
        Map<String, TomlTable> tables = new LinkedHashMap<>();
        if (parent != null) {
            for (String name : parent.keys()) {
                TomlTable table = parent.getTable(name);
                if (table == null) {
                    throw parent.error(name, "[" + key + "." + name + "] must be a table");
                }
                tables.put(name, table);
            }
        }
        return tables;
    }

    /** Config files in precedence order (highest first): start directory upwards, then Cargo's home. */
    static List<Path> discover(Path start, Path cargoHome) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            configIn(dir.resolve(".cargo")).ifPresent(files::add);
        }
        configIn(cargoHome).ifPresent(files::add);
        return List.copyOf(files);
    }

    private static Optional<Path> configIn(Path dotCargo) {
        Path legacy = dotCargo.resolve("config");
        if (Files.isRegularFile(legacy)) {
            return Optional.of(legacy.normalize());
        }
        Path modern = dotCargo.resolve("config.toml");
        return Files.isRegularFile(modern) ? Optional.of(modern.normalize()) : Optional.empty();
    }

    private static Path path(Path base, String value) {
        return value == null ? null : base.resolve(value).normalize();
    }

    /** Cargo accepts a space-separated string wherever it accepts a list of strings. */
    private static List<String> stringOrList(TomlTable table, String key) {
        Object value = table.get(key);
        if (value instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
        }
        return table.getStrings(key);
    }
}
