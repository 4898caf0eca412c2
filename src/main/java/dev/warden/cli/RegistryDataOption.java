package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.recon.intel.IntelHttp;
import dev.warden.recon.publishers.LiveCratesIo;
import dev.warden.recon.publishers.RegistryData;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** {@code --registry-data FILE}: the crates.io snapshot publisher checks use (default: the one in Warden's cache). */
final class RegistryDataOption {

    @Option(names = "--registry-data", paramLabel = "FILE", description = {
        "crates.io registry data for the publisher and owner checks (default: the snapshot `warden registry-data",
        "update` keeps in Warden's cache; without one those checks are not run, and the report says so)."})
    Path file;

    @Option(names = "--registry-api", paramLabel = "URL", defaultValue = "https://crates.io", description = {
        "crates.io's API (or a mirror of it), asked about a crate or version the registry data does not list (or",
        "every crate the change brings when there is no registry data); never with --offline. 'none' to skip."})
    String api;

    /** crates.io's API for what the snapshot does not list; null when offline or switched off. */
    LiveCratesIo live(Environment env, boolean offline) {
        if (offline || "none".equals(api)) {
            return null;
        }
        return new LiveCratesIo(IntelHttp.polite(env.cacheDirectory().resolve("intel"), env.clock(),
                Duration.ofSeconds(1), Main.version()), api);
    }

    /** The snapshot given, or the default one when it exists; a given file that is missing is an error. */
    Optional<RegistryData> open(Environment env) {
        Path chosen = file != null ? env.workingDirectory().resolve(file) : RegistryData.defaultFile(env);
        if (file == null && !Files.isRegularFile(chosen)) {
            return Optional.empty();
        }
        return Optional.of(RegistryData.open(chosen, env.cacheDirectory()));
    }

    /** How reports name what publishers were checked against. */
    static String describe(RegistryData data) {
        if (data == null) {
            return "not checked: no registry data here (`warden registry-data update`)";
        }
        return "crates.io registry data of " + (data.dumpedAt() == null ? "an unknown date"
                : LocalDate.ofInstant(data.dumpedAt(), ZoneOffset.UTC));
    }
}
