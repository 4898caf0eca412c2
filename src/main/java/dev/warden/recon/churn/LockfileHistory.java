package dev.warden.recon.churn;

import dev.warden.cargo.change.LockDiff;
import dev.warden.cargo.change.PackageChange;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.WardenException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The project's own dependency churn: every commit that changed {@code Cargo.lock} since a date, with what it
 * changed (read with {@link LockDiff} between consecutive versions), the crates updated most often and the crates
 * that entered the graph. A lockfile that changes all the time is a lockfile nobody reviews.
 */
public record LockfileHistory(String lockfile, List<Change> changes, Map<String, Integer> updatesByCrate,
                              List<String> newCrates, int unreadable) {

    /** One commit's change to the lockfile. */
    public record Change(String commit, Instant date, String subject, Map<PackageChange.Kind, Integer> counts) {

        public Change {
            counts = Map.copyOf(counts);
        }
    }

    public LockfileHistory {
        changes = List.copyOf(changes);
        updatesByCrate = Collections.unmodifiableMap(new LinkedHashMap<>(updatesByCrate));
        newCrates = List.copyOf(newCrates);
    }

    /**
     * How many commits since {@code since} changed the lockfile (at most {@code max}), without reading its versions;
     * -1 when it is not in a git repository or its history cannot be read.
     */
    public static int changesSince(Path lockfile, Instant since, int max) {
        Path absolute = lockfile.toAbsolutePath().normalize();
        FileRepositoryBuilder builder = repositoryAbove(absolute);
        if (builder.getGitDir() == null) {
            return -1;
        }
        try (Repository repo = builder.setMustExist(true).build(); Git git = new Git(repo)) {
            String path = pathIn(repo, absolute);
            int count = 0;
            for (RevCommit commit : git.log().addPath(path).setMaxCount(max).call()) {
                if (commit.getCommitterIdent().getWhenAsInstant().isBefore(since)) {
                    break;
                }
                count++;
            }
            return count;
        } catch (IOException | GitAPIException | RuntimeException e) {
            return -1; // a shallow or damaged clone: churn is unknown, not zero
        }
    }

    public static LockfileHistory read(Path lockfile, Instant since, int maxCommits) {
        Path absolute = lockfile.toAbsolutePath().normalize();
        FileRepositoryBuilder builder = repositoryAbove(absolute);
        if (builder.getGitDir() == null) {
            throw new WardenException(absolute.getParent() + ": not inside a git repository, so there is no "
                    + "lockfile history to read");
        }
        try (Repository repo = builder.setMustExist(true).build(); Git git = new Git(repo)) {
            String path = pathIn(repo, absolute);
            List<RevCommit> commits = new ArrayList<>();
            for (RevCommit commit : git.log().addPath(path).setMaxCount(maxCommits + 1).call()) {
                commits.add(commit);
            }
            List<Change> changes = new ArrayList<>();
            Map<String, Integer> updates = new TreeMap<>();
            TreeSet<String> added = new TreeSet<>();
            int unreadable = 0;
            for (int i = 0; i < commits.size() && i < maxCommits; i++) {
                RevCommit commit = commits.get(i);
                Instant date = commit.getCommitterIdent().getWhenAsInstant();
                if (date.isBefore(since)) {
                    break;
                }
                Lockfile after = at(repo, commit, path);
                Lockfile before = i + 1 < commits.size() ? at(repo, commits.get(i + 1), path) : null;
                if (after == null || i + 1 < commits.size() && before == null) {
                    unreadable++;
                    continue;
                }
                // The lockfile's first commit brought in every package it lists.
                List<PackageChange> diff = LockDiff.compare(before != null ? before
                        : new Lockfile(after.path(), after.version(), List.of(), List.of()), after);
                Map<PackageChange.Kind, Integer> counts = new EnumMap<>(PackageChange.Kind.class);
                for (PackageChange change : diff) {
                    counts.merge(change.kind(), 1, Integer::sum);
                    if (change.kind() == PackageChange.Kind.ADDED) {
                        added.add(change.name());
                    } else if (change.after() != null) {
                        updates.merge(change.name(), 1, Integer::sum);
                    }
                }
                changes.add(new Change(commit.getName().substring(0, 12), date, commit.getShortMessage(), counts));
            }
            Map<String, Integer> ranked = new LinkedHashMap<>();
            updates.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .forEach(e -> ranked.put(e.getKey(), e.getValue()));
            return new LockfileHistory(path, changes, ranked, List.copyOf(added), unreadable);
        } catch (IOException | GitAPIException e) {
            throw new WardenException(absolute + ": cannot read its git history: " + e.getMessage());
        }
    }

    /** The repository the lockfile is in (no git directory found: {@code getGitDir()} is null). */
    private static FileRepositoryBuilder repositoryAbove(Path lockfile) {
        return new FileRepositoryBuilder().findGitDir(lockfile.getParent().toFile());
    }

    /** The lockfile's path as git names it: relative to the work tree, with forward slashes. */
    private static String pathIn(Repository repo, Path lockfile) {
        return repo.getWorkTree().toPath().toAbsolutePath().normalize().relativize(lockfile).toString()
                .replace('\\', '/');
    }

    /** The lockfile as it was at a commit; null when it cannot be parsed (a broken commit is skipped, not fatal). */
    private static Lockfile at(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk file = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (file == null) {
                return null;
            }
            String text = new String(repo.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            return LockfileParser.parse(text, Path.of(commit.getName().substring(0, 12) + ":" + path));
        } catch (WardenException e) {
            return null;
        }
    }
}
