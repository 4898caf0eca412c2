package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.evaluate.repository.RepositoryCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --repo-cache DIR}: crates' repositories on this machine, to compare published crates with their commits. */
final class RepoCacheOption {

    @Option(names = "--repo-cache", paramLabel = "DIR", description = {
        "Git repositories of the crates (DIR/<host>/<owner>/<name>[.git] or DIR/<crate>[.git], bare or not): each",
        "crate's files are compared with the commit its .cargo_vcs_info.json names. Nothing is fetched."})
    Path dir;

    /** The cache given, or null when none was. */
    RepositoryCache open(Environment env) {
        return dir == null ? null : new RepositoryCache(env.workingDirectory().resolve(dir));
    }
}
