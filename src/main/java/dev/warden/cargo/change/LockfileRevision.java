package dev.warden.cargo.change;

import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.WardenException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a lockfile as it was at a git revision ({@code HEAD~1}, a branch, a tag, a commit id), offline. */
public final class LockfileRevision {

    private LockfileRevision() {
    }

    /**
     * @param lockfile the lockfile in the working tree; the repository is found from its directory upwards
     * @param revision anything {@code git rev-parse} accepts for a commit
     */
    public static Lockfile read(Path lockfile, String revision) {
        Path absolute = lockfile.toAbsolutePath().normalize();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(absolute.getParent().toFile());
        if (builder.getGitDir() == null) {
            throw new WardenException(absolute.getParent() + ": not inside a git repository, so '" + revision
                    + "' means nothing here (give two lockfiles instead)");
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            Path workTree = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            String inRepo = workTree.relativize(absolute).toString().replace('\\', '/');
            ObjectId commitId = resolve(repo, revision);
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit;
                try {
                    commit = walk.parseCommit(commitId);
                } catch (MissingObjectException e) {
                    throw unknown(repo, revision); // a full commit id resolves without the commit being here
                }
                try (TreeWalk file = TreeWalk.forPath(repo, inRepo, commit.getTree())) {
                    if (file == null) {
                        throw new WardenException(revision + ":" + inRepo + ": no such file at that revision");
                    }
                    byte[] bytes = repo.open(file.getObjectId(0)).getBytes();
                    return LockfileParser.parse(new String(bytes, StandardCharsets.UTF_8),
                            Path.of(revision + ":" + inRepo));
                }
            }
        } catch (IOException e) {
            throw new WardenException(absolute.getParent() + ": cannot read git history: " + e.getMessage());
        }
    }

    private static ObjectId resolve(Repository repo, String revision) throws IOException {
        ObjectId id;
        try {
            id = repo.resolve(revision + "^{commit}");
        } catch (MissingObjectException e) {
            throw unknown(repo, revision);
        } catch (RuntimeException e) {
            throw new WardenException("'" + revision + "' is not a valid git revision: " + e.getMessage());
        }
        if (id == null) {
            throw unknown(repo, revision);
        }
        return id;
    }

    /** Says so, and in a shallow clone (what CI checkouts are by default) how to get the base. */
    private static WardenException unknown(Repository repo, String revision) {
        boolean shallow = Files.isRegularFile(repo.getDirectory().toPath().resolve("shallow"));
        return new WardenException("unknown git revision '" + revision + "'" + (shallow
                ? ": this is a shallow clone, so history before its tip is not here; fetch the base "
                + "(`git fetch --depth=1 origin " + revision.replaceFirst("^origin/", "") + "`) or clone with "
                + "`fetch-depth: 0` (actions/checkout)" : ""));
    }
}
