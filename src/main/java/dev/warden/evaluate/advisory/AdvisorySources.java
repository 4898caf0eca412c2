package dev.warden.evaluate.advisory;

import dev.warden.core.AtomicFiles;
import dev.warden.core.Environment;
import dev.warden.core.WardenException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where advisory data comes from on a run: paths the user names, else a copy fetched by {@code warden db update}
 * when it is newer than the embedded snapshot, else the embedded snapshot. Fetching uses JGit and keeps a clone of
 * the RustSec advisory-db in Warden's cache directory with a pre-built index beside it.
 */
public final class AdvisorySources {

    public static final String DEFAULT_URL = "https://github.com/rustsec/advisory-db.git";
    private static final String CLONE = "advisory-db";
    private static final String INDEX = "advisory-db.db";
    private static final int TIMEOUT_SECONDS = 60;

    private AdvisorySources() {
    }

    public static AdvisoryDatabase select(List<Path> paths, Environment env) {
        if (!paths.isEmpty()) {
            AdvisoryDatabase given = AdvisoryLoader.load(paths);
            if (given.advisoryCount() == 0) {
                // An empty directory or a wrong path would otherwise audit against nothing and report "no findings".
                throw new WardenException(paths.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + ": no advisories found there (expected a RustSec checkout, OSV .json files or a .jsonl "
                        + "file)");
            }
            return given;
        }
        AdvisoryDatabase embedded = AdvisoryLoader.embedded();
        Path fetched = env.cacheDirectory().resolve(INDEX);
        if (Files.isRegularFile(fetched)) {
            AdvisoryDatabase updated;
            try {
                updated = AdvisoryLoader.readIndex(fetched);
            } catch (WardenException e) {
                // An index written by another Warden version: the embedded data still works; say how to refresh.
                List<String> problems = new ArrayList<>(embedded.problems());
                problems.add(e.getMessage() + "; using the embedded data (run `warden db update` to re-index)");
                return new AdvisoryDatabase(embedded.description(), embedded.dataDate(), problems, embedded.crates(),
                        embedded.maliciousCrates(), embedded.advisoryCount(), embedded.lookup());
            }
            if (updated.dataDate() != null && (embedded.dataDate() == null
                    || !updated.dataDate().isBefore(embedded.dataDate()))) {
                return updated;
            }
        }
        return embedded;
    }

    /** The outcome of an update: the commit now checked out and the index written from it. */
    public record Update(Path checkout, String commit, LocalDate date, int advisories, List<String> problems) {
    }

    /** Clones or fast-forwards the advisory-db at {@code url} into the cache and re-indexes it. */
    public static Update update(String url, Environment env) {
        Path dir = env.cacheDirectory();
        Path clone = dir.resolve(CLONE);
        try {
            Files.createDirectories(dir);
            try (Git git = Files.isDirectory(clone.resolve(".git")) ? fetch(clone, url) : cloneFresh(url, clone)) {
                Repository repo = git.getRepository();
                ObjectId head = repo.resolve("HEAD");
                if (head == null) {
                    throw new WardenException(url + ": the repository has no commits");
                }
                RevCommit commit;
                try (RevWalk walk = new RevWalk(repo)) {
                    commit = walk.parseCommit(head);
                }
                LocalDate date = LocalDate.ofInstant(commit.getAuthorIdent().getWhenAsInstant(), ZoneOffset.UTC);
                AdvisoryDatabase parsed = AdvisoryLoader.load(List.of(clone));
                String shortId = commit.getName().substring(0, 7);
                AdvisoryDatabase described = new AdvisoryDatabase("RustSec advisory-db " + shortId + " (" + date
                        + ", fetched from " + url + ")", date, parsed.problems(), parsed.crates(),
                        parsed.maliciousCrates(), parsed.advisoryCount(), parsed.lookup());
                AtomicFiles.write(dir.resolve(INDEX), AdvisoryIndex.write(described));
                return new Update(clone, commit.getName(), date, described.all().size(), parsed.problems());
            }
        } catch (IOException e) {
            throw new WardenException(dir + ": cannot update the advisory database here: " + e.getMessage());
        } catch (GitAPIException e) {
            throw new WardenException("cannot update the advisory database from " + url + ": " + e.getMessage());
        }
    }

    private static Git cloneFresh(String url, Path clone) throws GitAPIException {
        return Git.cloneRepository().setURI(url).setDirectory(clone.toFile()).setTimeout(TIMEOUT_SECONDS)
                .setCloneAllBranches(false).call();
    }

    private static Git fetch(Path clone, String url) throws IOException, GitAPIException {
        Git git = Git.open(clone.toFile());
        git.fetch().setRemote(url).setRefSpecs(new RefSpec("+HEAD:refs/remotes/origin/HEAD"))
                .setTimeout(TIMEOUT_SECONDS).call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef("refs/remotes/origin/HEAD").call();
        return git;
    }
}
