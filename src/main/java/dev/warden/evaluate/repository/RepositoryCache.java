package dev.warden.evaluate.repository;

import dev.warden.core.WardenException;
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
import java.util.Optional;
import java.util.Set;

/**
 * Crates' repositories already on this machine ({@code --repo-cache DIR}), as bare or ordinary git repositories at
 * {@code DIR/<host>/<owner>/<name>[.git]} (the repository URL's form) or {@code DIR/<crate>[.git]}. Read with JGit;
 * nothing is fetched.
 */
public final class RepositoryCache {

    /** One commit's files: path → blob id, the paths that are symbolic links, and every blob id anywhere in it. */
    public record Snapshot(Map<String, String> files, Set<String> links, Set<String> blobs) {
    }

    private final Path root;

    public RepositoryCache(Path root) {
        if (!Files.isDirectory(root)) {
            throw new WardenException(root + ": no such directory (--repo-cache)");
        }
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The git directory for a crate: by its repository URL first, then by its name. */
    public Optional<Path> locate(String crate, String repositoryUrl) {
        List<String> keys = repositoryUrl == null ? List.of(crate)
                : List.of(RepositoryUrl.normalised(repositoryUrl), crate);
        for (String key : keys) {
            if (key.isEmpty() || key.contains("..")) {
                continue;
            }
            for (Path candidate : List.of(root.resolve(key + ".git"), root.resolve(key))) {
                if (Files.isDirectory(candidate) && candidate.normalize().startsWith(root.normalize())) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
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
