package dev.warden.cargo.config;

import dev.warden.cargo.lock.SourceId;
import dev.warden.core.WardenException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merged Cargo configuration that applies to a project directory, read with Cargo's own search rules (see
 * {@link CargoConfigLoader}).
 *
 * @param files           the config files that were read, highest precedence first
 * @param sources         {@code [source.*]} by name
 * @param registries      {@code [registries.*]} by name
 * @param defaultRegistry {@code [registry] default}, or null for crates.io
 * @param offline         {@code [net] offline} or {@code CARGO_NET_OFFLINE}
 * @param targetDir       {@code [build] target-dir} (or {@code CARGO_TARGET_DIR}), resolved, or null
 * @param rustflags       {@code [build] rustflags}
 * @param rustcWrapper    {@code [build] rustc-wrapper}, or null
 * @param buildTargets    {@code [build] target}: target triples built by default
 */
public record CargoConfig(List<Path> files, Map<String, SourceDefinition> sources,
                          Map<String, RegistryDefinition> registries, String defaultRegistry, boolean offline,
                          Path targetDir, List<String> rustflags, String rustcWrapper, List<String> buildTargets) {

    /** The name Cargo gives to crates.io in {@code [source]} and {@code [patch]} tables. */
    public static final String CRATES_IO = "crates-io";

    public CargoConfig {
        files = List.copyOf(files);
        sources = Map.copyOf(sources);
        registries = Map.copyOf(registries);
        rustflags = List.copyOf(rustflags);
        buildTargets = List.copyOf(buildTargets);
    }

    public static CargoConfig empty() {
        return new CargoConfig(List.of(), Map.of(), Map.of(), null, false, null, List.of(), null, List.of());
    }

    /**
     * Follows {@code replace-with} from the named source to the one Cargo actually downloads from, returning the
     * chain (first element: {@code name}'s own definition if any). A cycle or a dangling name is an error.
     */
    public List<SourceDefinition> replacementChain(String name) {
        List<SourceDefinition> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String current = name;
        while (current != null) {
            if (!seen.add(current)) {
                SourceDefinition start = sources.get(name);
                throw WardenException.at(start.definedIn(), start.line(), "source replacement cycle through '" + current + "'");
            }
            SourceDefinition definition = sources.get(current);
            if (definition == null) {
                if (!current.equals(name) && !current.equals(CRATES_IO)) {
                    SourceDefinition previous = chain.getLast();
                    throw WardenException.at(previous.definedIn(), previous.line(), "source '" + previous.name()
                            + "' is replaced with '" + current + "', which is not defined");
                }
                break;
            }
            chain.add(definition);
            current = definition.replaceWith();
        }
        return chain;
    }

    /** Where crates.io packages really come from, if it is replaced (vendoring, mirror, private registry). */
    public Optional<SourceDefinition> cratesIoReplacement() {
        List<SourceDefinition> chain = replacementChain(CRATES_IO);
        return chain.size() > 1 ? Optional.of(chain.getLast()) : Optional.empty();
    }

    /** The {@code [registries]} entry whose index serves this source, if one does. */
    public Optional<RegistryDefinition> registryOf(SourceId source) {
        return source == null ? Optional.empty()
                : registries.values().stream().filter(r -> source.isServedBy(r.index())).findFirst();
    }
}
