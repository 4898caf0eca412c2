package dev.warden.cargo.download;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.core.Sha256;
import dev.warden.core.WardenException;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlTable;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The source of a git dependency at its locked commit, for a machine where Cargo never checked it out: the commit is
 * fetched with JGit into Warden's cache ({@code <cache>/git/db/<repository>}, shallow when the server allows fetching
 * a commit by id, else the repository's branches and tags) and its tree written out once per commit
 * ({@code <cache>/git/checkouts/<commit>/}), regular files only, within the same size limits as a crate archive.
 * The locked commit id is the checksum: a commit is its content.
 */
public final class GitCheckouts {

    /** A package's directory inside a checkout, or why there is none. */
    public sealed interface Outcome {
    }

    /** @param fetched whether the commit came over the network in this run (else from Warden's cache) */
    public record Checkout(Path directory, boolean fetched) implements Outcome {
    }

    public record Failed(CrateDownloader.Reason reason, String detail) implements Outcome {
    }

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final long MAX_FILE_BYTES = 64L << 20;
    private static final long MAX_TOTAL_BYTES = 256L << 20;

    private final Path root;
    private final boolean offline;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public GitCheckouts(Path cacheDirectory, boolean offline) {
        this.root = cacheDirectory.resolve("git");
        this.offline = offline;
    }

    public Outcome checkout(LockedPackage pkg) {
        String commit = pkg.source().precise();
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            return new Failed(CrateDownloader.Reason.UNSUPPORTED, pkg.id().nameAndVersion() + " is locked to no "
                    + "full commit id (" + pkg.source() + ")");
        }
        Path tree = root.resolve("checkouts").resolve(commit);
        boolean fetched = false;
        synchronized (locks.computeIfAbsent(commit, c -> new Object())) {
            if (!Files.isDirectory(tree)) {
                fetched = true;
                if (offline) {
                    return new Failed(CrateDownloader.Reason.OFFLINE, "offline: commit " + commit.substring(0, 12)
                            + " of " + pkg.source().url() + " is in no local cache");
                }
                Optional<Failed> failed = fetchAndWrite(pkg.source().url(), commit, tree);
                if (failed.isPresent()) {
                    return failed.get();
                }
            }
        }
        boolean came = fetched;
        return find(tree, pkg.name()).<Outcome>map(dir -> new Checkout(dir, came)).orElseGet(() -> new Failed(
                CrateDownloader.Reason.NOT_FOUND, "commit " + commit.substring(0, 12) + " of " + pkg.source().url()
                + " has no package named " + pkg.name()));
    }

    private Optional<Failed> fetchAndWrite(String url, String commit, Path tree) {
        Path db = root.resolve("db").resolve(repositoryKey(url));
        try (Git git = Files.isDirectory(db) ? Git.open(db.toFile())
                : Git.init().setBare(true).setDirectory(db.toFile()).call()) {
            Repository repo = git.getRepository();
            ObjectId id = ObjectId.fromString(commit);
            if (!repo.getObjectDatabase().has(id)) {
                try {
                    git.fetch().setRemote(url).setDepth(1).setCheckFetchedObjects(true)
                            .setRefSpecs(new RefSpec("+" + commit + ":refs/warden/" + commit)).call();
                } catch (GitAPIException | RuntimeException byId) {
                    // Servers that do not serve a commit by id: take the branches and tags, which hold it.
                    git.fetch().setRemote(url).setCheckFetchedObjects(true).setRefSpecs(
                            new RefSpec("+refs/heads/*:refs/warden/heads/*"),
                            new RefSpec("+refs/tags/*:refs/warden/tags/*")).call();
                }
            }
            if (!repo.getObjectDatabase().has(id)) {
                return Optional.of(new Failed(CrateDownloader.Reason.NOT_FOUND, url + " has no commit " + commit));
            }
            write(repo, id, tree);
            return Optional.empty();
        } catch (GitAPIException | IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            CrateDownloader.Reason reason = why.contains("not authorized") || why.contains("Authentication")
                    ? CrateDownloader.Reason.UNAUTHORIZED : CrateDownloader.Reason.UNREACHABLE;
            return Optional.of(new Failed(reason, url + ": " + why));
        }
    }

    /** Writes the commit's tree to {@code target}: into a temporary directory first, moved into place when whole. */
    private static void write(Repository repo, ObjectId id, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), ".checkout");
        try (RevWalk walk = new RevWalk(repo); TreeWalk files = new TreeWalk(repo)) {
            RevCommit commit = walk.parseCommit(id);
            files.addTree(commit.getTree());
            files.setRecursive(true);
            long total = 0;
            while (files.next()) {
                FileMode mode = files.getFileMode(0);
                // Links and submodules are not followed or written: they are the crate's hygiene question, not code.
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue;
                }
                String path = files.getPathString();
                if (!safe(path)) {
                    throw new WardenException("commit " + id.getName() + ": refused: unsafe path '" + path + "'");
                }
                long size = repo.open(files.getObjectId(0)).getSize();
                total += size;
                if (size > MAX_FILE_BYTES || total > MAX_TOTAL_BYTES) {
                    throw new WardenException("commit " + id.getName() + ": refused: larger than the scan limits");
                }
                Path file = temp.resolve(path);
                Files.createDirectories(file.getParent());
                try (InputStream in = repo.open(files.getObjectId(0)).openStream();
                     OutputStream out = Files.newOutputStream(file)) {
                    in.transferTo(out);
                }
                if (mode == FileMode.EXECUTABLE_FILE) {
                    file.toFile().setExecutable(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(temp)) {
                try (Stream<Path> left = Files.walk(temp)) {
                    left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static boolean safe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.equalsIgnoreCase(".git")) {
                return false;
            }
        }
        return true;
    }

    /** The package's directory: the one whose Cargo.toml declares it, as Cargo looks for it in a checkout. */
    private static Optional<Path> find(Path tree, String name) {
        try (Stream<Path> manifests = Files.walk(tree, 8)) {
            return manifests.filter(p -> p.getFileName().toString().equals("Cargo.toml"))
                    .sorted(Comparator.comparingInt(Path::getNameCount))
                    .filter(p -> declares(p, name)).map(Path::getParent).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean declares(Path manifest, String name) {
        try {
            return Toml.parse(manifest).get("package") instanceof TomlTable pkg && name.equals(pkg.get("name"));
        } catch (RuntimeException e) {
            return false; // a broken manifest elsewhere in the repository is not this package
        }
    }

    private static String repositoryKey(String url) {
        return Sha256.hex(url.getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }
}
