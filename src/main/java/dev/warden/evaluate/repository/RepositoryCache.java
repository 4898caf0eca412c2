package dev.warden.evaluate.repository;

import dev.warden.core.Directories;
import dev.warden.core.WardenException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Crates' repositories: those already on this machine ({@code --repo-cache DIR}), as bare or ordinary git repositories
 * at {@code DIR/<host>/<owner>/<name>[.git]} (the repository URL's form) or {@code DIR/<crate>[.git]}, and, with
 * {@code --fetch-repositories}, the others cloned bare from their {@code repository} URL into Warden's cache in the
 * same layout (fetched again on later runs). Read with JGit.
 */
public final class RepositoryCache {

    private static final int FETCH_TIMEOUT_SECONDS = 60;

    /** One commit's files: path → blob id, the paths that are symbolic links, and every blob id anywhere in it. */
    public record Snapshot(Map<String, String> files, Set<String> links, Set<String> blobs) {
    }

    private final Path root;
    private final Path fetched;
    /** Why a repository could not be fetched, by URL, so a run tries each once. */
    private final Map<String, String> failures = new HashMap<>();
    private final Set<String> refreshed = new HashSet<>();
    private final Predicate<String> fetchable;

    /** The repositories under {@code root}, nothing fetched. */
    public RepositoryCache(Path root) {
        this(root, null);
    }

    /**
     * @param root    the repositories given, or null for none
     * @param fetched where repositories not given are cloned (bare, in the same layout) and later fetched, or null
     *                to fetch nothing
     */
    public RepositoryCache(Path root, Path fetched) {
        this(root, fetched, url -> RepositoryUrl.implausible(url).isEmpty());
    }

    /**
     * @param fetchable which repository URLs may be cloned: by default only plausible ones, so a crate cannot make
     *                  the runner contact an address of its choosing (an internal host, a link shortener)
     */
    RepositoryCache(Path root, Path fetched, Predicate<String> fetchable) {
        if (root != null && !Files.isDirectory(root)) {
            throw new WardenException(root + ": no such directory (--repo-cache)");
        }
        this.root = root;
        this.fetched = fetched;
        this.fetchable = fetchable;
    }

    /** How reports name where repositories come from. */
    public String describe() {
        return (root == null ? "" : root.toString()) + (root != null && fetched != null ? ", and " : "")
                + (fetched == null ? "" : "repositories fetched into " + fetched);
    }

    /** The git directory for a crate: by its repository URL first, then by its name; cloned when allowed. */
    public Optional<Path> locate(String crate, String repositoryUrl) {
        List<String> keys = repositoryUrl == null ? List.of(crate)
                : List.of(RepositoryUrl.normalised(repositoryUrl), crate);
        for (Path base : Stream.of(root, fetched).filter(Objects::nonNull).toList()) {
            for (String key : keys) {
                if (key.isEmpty() || key.contains("..")) {
                    continue;
                }
                for (Path candidate : List.of(base.resolve(key + ".git"), base.resolve(key))) {
                    if (Files.isDirectory(candidate) && candidate.normalize().startsWith(base.normalize())) {
                        if (base == fetched) {
                            refresh(repositoryUrl, candidate);
                        }
                        return Optional.of(candidate);
                    }
                }
            }
        }
        if (fetched == null || repositoryUrl == null || !fetchable.test(repositoryUrl)
                || failures.containsKey(repositoryUrl)) {
            return Optional.empty();
        }
        Path target = fetched.resolve(RepositoryUrl.normalised(repositoryUrl) + ".git");
        if (!target.normalize().startsWith(fetched.normalize())) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(target.getParent());
            Git.cloneRepository().setURI(repositoryUrl.strip()).setBare(true).setDirectory(target.toFile())
                    .setTimeout(FETCH_TIMEOUT_SECONDS).call().close();
            refreshed.add(repositoryUrl);
            return Optional.of(target);
        } catch (IOException | GitAPIException | RuntimeException e) {
            failures.put(repositoryUrl, String.valueOf(e.getMessage()));
            Directories.deleteQuietly(target);
            return Optional.empty();
        }
    }

    /** Why {@code repositoryUrl} could not be fetched this run, if it could not. */
    public Optional<String> failure(String repositoryUrl) {
        return Optional.ofNullable(repositoryUrl == null ? null : failures.get(repositoryUrl));
    }

    /** A repository cloned by an earlier run gets the commits published since, once per run. */
    private void refresh(String repositoryUrl, Path repository) {
        if (repositoryUrl == null || !refreshed.add(repositoryUrl)) {
            return;
        }
        try (Git git = Git.open(repository.toFile())) {
            git.fetch().setRemoveDeletedRefs(true).setTimeout(FETCH_TIMEOUT_SECONDS).call();
        } catch (IOException | GitAPIException | RuntimeException e) {
            failures.put(repositoryUrl, "fetch failed, compared with what was fetched before: " + e.getMessage());
        }
    }


    /**
     * The files of {@code commit} in the repository at {@code where}, or empty when the commit is not there (a
     * history rewritten after publishing, or a commit never pushed).
     */
    public static Optional<Snapshot> files(Path where, String commit) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        if (Files.isDirectory(where.resolve(".git"))) {
            builder.setWorkTree(where.toFile());
        } else {
            builder.setGitDir(where.toFile());
        }
        try (Repository repository = builder.build(); RevWalk walk = new RevWalk(repository)) {
            RevCommit found;
            try {
                found = walk.parseCommit(ObjectId.fromString(commit));
            } catch (MissingObjectException e) {
                return Optional.empty();
            }
            Map<String, String> files = new HashMap<>();
            Set<String> links = new HashSet<>();
            Set<String> blobs = new HashSet<>();
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(found.getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    String id = tree.getObjectId(0).name();
                    if (tree.getFileMode(0) == FileMode.SYMLINK) {
                        links.add(tree.getPathString());
                    } else if (tree.getFileMode(0) != FileMode.GITLINK) {
                        files.put(tree.getPathString(), id);
                        blobs.add(id);
                    }
                }
            }
            return Optional.of(new Snapshot(files, links, blobs));
        } catch (IOException | RuntimeException e) {
            // JGit reports a corrupt object, pack or ref in unchecked exceptions too: a cache is input like any other.
            throw new WardenException(where + ": cannot read the repository: " + e.getMessage());
        }
    }
}
