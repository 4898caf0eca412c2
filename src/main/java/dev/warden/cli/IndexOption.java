package dev.warden.cli;

import dev.warden.core.WardenException;

import dev.warden.cargo.index.LocalIndexCache;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.index.SparseIndexClient;
import dev.warden.core.Environment;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --index-url}: where registry facts (versions, yanked flags, publish dates) come from. Cargo's local index
 * cache always, offline; a sparse index over HTTP when the option or {@code [registry] index-url} names one.
 */
final class IndexOption {

    @Option(names = "--index-url", paramLabel = "URL",
            description = "A sparse registry index to ask about versions, yanked flags and publish dates "
                    + "(default: Cargo's local index cache only, offline).")
    String indexUrl;

    /** The indexes to ask, and the remote one (null when offline) whose failures the caller reports. */
    record Opened(RegistryIndex index, SparseIndexClient remote) {

        /** Which indexes were asked, for the report's header. */
        String describe() {
            return remote == null ? "Cargo's local index cache only (offline)"
                    : "Cargo's local index cache and " + remote.url();
        }

        /** Why answers are missing, one line each, for the command's warnings. */
        List<String> failures(String consequence) {
            return remote == null ? List.of()
                    : remote.failures().stream().map(f -> "index unreachable, " + consequence + ": " + f).toList();
        }
    }

    Opened open(Environment env, String policyUrl) {
        List<RegistryIndex> indexes = new ArrayList<>(List.of(new LocalIndexCache(env.cargoHome())));
        String url = indexUrl != null ? indexUrl : policyUrl;
        SparseIndexClient remote;
        try {
            remote = url == null ? null : new SparseIndexClient(url, Duration.ofSeconds(10));
        } catch (WardenException e) {
            throw new WardenException((indexUrl != null ? "--index-url" : "[registry] index-url") + ": "
                    + e.getMessage());
        }
        if (remote != null) {
            indexes.add(remote);
        }
        return new Opened(RegistryIndex.firstOf(indexes), remote);
    }
}
