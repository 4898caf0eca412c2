package dev.warden.recon.churn;

import dev.warden.core.WardenException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a crate's repository with JGit — a local checkout, or a URL cloned (bare) into Warden's cache and fetched on
 * later runs — and measures its churn: commits and authors, authors new within a window, release tags and their
 * cadence, and the change between two revisions (files, lines, who wrote it).
 */
public final class RepositoryChurn {

    private RepositoryChurn() {
    }

    /** Opens a local repository, or clones/fetches a URL into {@code cacheDir}. */
    public static Repository open(String location, Path workingDirectory, Path cacheDir) {
        Path local = workingDirectory.resolve(location);
        try {
            if (!location.contains("://") && Files.exists(local)) {
                FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(local.toFile());
                if (builder.getGitDir() == null) {
                    throw new WardenException(local + ": not a git repository");
                }
                return builder.setMustExist(true).build();
            }
            if (!location.contains("://")) {
                throw new WardenException(location + ": no such directory, and not a URL");
            }
            File mirror = cacheDir.resolve("repos").resolve(key(location) + ".git").toFile();
            if (mirror.isDirectory()) {
                try (Git git = Git.open(mirror)) {
                    git.fetch().setRemoveDeletedRefs(true).setTimeout(60).call();
                }
            } else {
                Git.cloneRepository().setURI(location).setBare(true).setDirectory(mirror).setTimeout(60).call().close();
            }
            return new FileRepositoryBuilder().setGitDir(mirror).setMustExist(true).build();
        } catch (IOException | GitAPIException e) {
            throw new WardenException(location + ": cannot read the repository: " + e.getMessage());
        }
    }

    /**
     * @param window    how far back "recent" and "new" reach from {@code now}
     * @param from      with {@code to}, the revisions (tags, commits) whose difference to measure; may be null
     */
    public static Churn analyze(Repository repo, String name, Instant now, Duration window, String from, String to) {
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId head = resolve(repo, to != null ? to : Constants.HEAD);
            walk.markStart(walk.parseCommit(head));
            Instant since = now.minus(window);
            Map<String, Integer> commitsBy = new HashMap<>();
            Map<String, Instant> firstCommit = new HashMap<>();
            int commits = 0;
            int recent = 0;
            for (RevCommit commit : walk) {
                commits++;
                Instant when = commit.getAuthorIdent().getWhenAsInstant();
                String author = author(commit.getAuthorIdent());
                commitsBy.merge(author, 1, Integer::sum);
                firstCommit.merge(author, when, (a, b) -> a.isBefore(b) ? a : b);
                if (!when.isBefore(since)) {
                    recent++;
                }
            }
            List<String> authors = commitsBy.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getKey).toList();
            List<String> newAuthors = authors.stream().filter(a -> !firstCommit.get(a).isBefore(since)).sorted().toList();
            Churn.Range range = from == null ? null : range(repo, from, to != null ? to : Constants.HEAD);
            return new Churn(name, repo.getBranch(), commits, recent, authors, newAuthors, releases(repo), range);
        } catch (IOException e) {
            throw new WardenException(name + ": cannot read the history: " + e.getMessage());
        }
    }

    private static List<Churn.Release> releases(Repository repo) throws IOException {
        List<Churn.Release> releases = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref tag : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                Ref peeled = repo.getRefDatabase().peel(tag);
                ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : tag.getObjectId();
                try {
                    RevCommit commit = walk.parseCommit(target);
                    releases.add(new Churn.Release(Repository.shortenRefName(tag.getName()),
                            commit.getAuthorIdent().getWhenAsInstant()));
                } catch (IOException e) {
                    // a tag of a tree or blob is not a release
                }
            }
        }
        releases.sort(Comparator.comparing(Churn.Release::date).thenComparing(Churn.Release::tag));
        return releases;
    }

    private static Churn.Range range(Repository repo, String from, String to) throws IOException {
        ObjectId start = resolve(repo, from);
        ObjectId end = resolve(repo, to);
        Set<String> before = new LinkedHashSet<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(start));
            for (RevCommit commit : walk) {
                before.add(author(commit.getAuthorIdent()));
            }
        }
        Set<String> authors = new LinkedHashSet<>();
        int commits = 0;
        RevCommit endCommit;
        RevCommit startCommit;
        try (RevWalk walk = new RevWalk(repo)) {
            endCommit = walk.parseCommit(end);
            startCommit = walk.parseCommit(start);
            walk.markStart(endCommit);
            walk.markUninteresting(startCommit);
            for (RevCommit commit : walk) {
                commits++;
                authors.add(author(commit.getAuthorIdent()));
            }
        }
        int files = 0;
        int added = 0;
        int removed = 0;
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repo);
            diff.setDetectRenames(true);
            for (DiffEntry entry : diff.scan(startCommit.getTree(), endCommit.getTree())) {
                files++;
                for (Edit edit : diff.toFileHeader(entry).toEditList()) {
                    added += edit.getLengthB();
                    removed += edit.getLengthA();
                }
            }
        }
        List<String> newcomers = authors.stream().filter(a -> !before.contains(a)).sorted().toList();
        return new Churn.Range(from, to, commits, files, added, removed, authors.stream().sorted().toList(), newcomers);
    }

    private static ObjectId resolve(Repository repo, String revision) throws IOException {
        ObjectId id = repo.resolve(revision + "^{commit}");
        if (id == null) {
            throw new WardenException("unknown revision '" + revision + "' in " + repo.getDirectory());
        }
        return id;
    }

    private static String author(PersonIdent ident) {
        return ident.getName() + " <" + ident.getEmailAddress() + ">";
    }

    private static String key(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
