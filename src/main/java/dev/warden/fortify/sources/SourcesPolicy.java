package dev.warden.fortify.sources;

import dev.warden.core.Severity;

import java.util.List;

/**
 * {@code [sources]} in {@code warden.toml}: where crates may come from.
 *
 * @param failLevel        findings at or above this block
 * @param allowRegistries  registries besides crates.io, by their name in the Cargo configuration or by index URL;
 *                         null allows any registry
 * @param allowGit         URL prefixes of git repositories crates may come from; null allows any repository
 * @param requireGitRev    git dependencies must name a fixed {@code rev}
 * @param internalRegistry the registry (name or URL) that internal-prefixed crates must come from, or null
 */
public record SourcesPolicy(Severity failLevel, List<String> allowRegistries, List<String> allowGit,
                            boolean requireGitRev, String internalRegistry) {

    public SourcesPolicy {
        allowRegistries = allowRegistries == null ? null : List.copyOf(allowRegistries);
        allowGit = allowGit == null ? null : List.copyOf(allowGit);
    }

    public static SourcesPolicy defaults() {
        return new SourcesPolicy(Severity.HIGH, null, null, false, null);
    }
}
