package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.evaluate.repository.RepositoryCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --repo-cache DIR} and {@code --fetch-repositories}: crates' repositories, to compare published crates with
 * the commits they name.
 */
final class RepoCacheOption {

    @Option(names = "--repo-cache", paramLabel = "DIR", description = {
        "Git repositories of the crates (DIR/<host>/<owner>/<name>[.git] or DIR/<crate>[.git], bare or not): each",
        "crate's files are compared with the commit its .cargo_vcs_info.json names."})
    Path dir;

    @Option(names = "--fetch-repositories", description = {
        "Clone (bare, into Warden's cache) the repository of each crate not in --repo-cache, and fetch it again on",
        "later runs; never with --offline."})
    boolean fetch;

    /** The repositories to compare with, or null when neither option was given. */
    RepositoryCache open(Environment env, boolean offline) {
        boolean fetching = fetch && !offline;
        if (dir == null && !fetching) {
            return null;
        }
        return new RepositoryCache(dir == null ? null : env.workingDirectory().resolve(dir),
                fetching ? env.cacheDirectory().resolve("repositories") : null);
    }
}
