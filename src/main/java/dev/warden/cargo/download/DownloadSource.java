package dev.warden.cargo.download;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.config.RegistryDefinition;
import dev.warden.cargo.config.SourceDefinition;
import dev.warden.cargo.lock.SourceId;

import java.nio.file.Path;
import java.util.List;

/**
 * Where Cargo itself would fetch a registry package from, after {@code [source]} replacement in
 * {@code .cargo/config.toml}: a remote sparse index (crates.io, a mirror, a private registry), a local registry
 * directory of {@code .crate} files, a vendored directory, or somewhere Warden cannot download from.
 */
public sealed interface DownloadSource {

    /**
     * A sparse index served over HTTP.
     *
     * @param registry the registry's name in Cargo's configuration (its token's name), or null when unnamed
     * @param indexUrl the index URL without {@code sparse+}, ending in {@code /}
     * @param cratesIo whether this is crates.io itself, whose download location is known
     */
    record Remote(String registry, String indexUrl, boolean cratesIo) implements DownloadSource {
    }

    /** {@code local-registry = "…"}: {@code <dir>/<name>-<version>.crate}. */
    record LocalRegistry(Path directory) implements DownloadSource {
    }

    /** {@code directory = "…"}: a vendored tree, found by the local source lookup or not at all. */
    record Vendored(Path directory) implements DownloadSource {
    }

    /** A source Warden cannot download from, and why. */
    record Unsupported(String why) implements DownloadSource {
    }

    static DownloadSource of(SourceId source, CargoConfig config) {
        String name = source.isCratesIo() ? CargoConfig.CRATES_IO
                : config.registryOf(source).map(RegistryDefinition::name).orElse(null);
        List<SourceDefinition> chain = name == null ? List.of() : config.replacementChain(name);
        if (chain.size() > 1) {
            SourceDefinition last = chain.getLast();
            if (last.directory() != null) {
                return new Vendored(last.directory());
            }
            if (last.localRegistry() != null) {
                return new LocalRegistry(last.localRegistry());
            }
            if (last.registry() != null) {
                return remote(last.name(), last.registry());
            }
            if (last.git() != null) {
                return new Unsupported("source '" + last.name() + "' is a git repository, not a registry");
            }
        }
        if (source.isCratesIo()) {
            return new Remote(CargoConfig.CRATES_IO, SourceId.CRATES_IO_SPARSE, true);
        }
        return remote(name, source.kind().prefix() + "+" + source.url());
    }

    private static DownloadSource remote(String registry, String index) {
        if (index.startsWith("sparse+")) {
            String url = index.substring("sparse+".length());
            boolean cratesIo = SourceId.registry(index).isCratesIo();
            return new Remote(registry, url.endsWith("/") ? url : url + "/", cratesIo);
        }
        String url = index.replaceFirst("^registry\\+", "");
        if (SourceId.registry(url).isCratesIo()) {
            return new Remote(CargoConfig.CRATES_IO, SourceId.CRATES_IO_SPARSE, true);
        }
        return new Unsupported("the index " + url + " is served over git; Warden downloads through sparse indexes "
                + "(serve it with sparse+, or vendor the crates)");
    }
}
