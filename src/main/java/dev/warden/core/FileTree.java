package dev.warden.core;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of a repository as one version has them: the working tree, or a git revision (so the gate can read a
 * change's base, e.g. its CI definitions, without checking it out). Paths are relative, with {@code /}.
 */
public interface FileTree {

    /** Regular files directly inside {@code directory} ({@code ""} for the root), sorted. */
    List<String> list(String directory);

    /** A file's text (UTF-8), or empty when there is no such regular file. */
    Optional<String> read(String path);

    /** Where the tree is, for messages. */
    String describe();

    /** Larger files than this are not CI definitions; reading them is refused rather than buffered. */
    long MAX_FILE_BYTES = 8L * 1024 * 1024;

    /**
     * The root of the repository {@code inside} belongs to: the nearest ancestor (or itself) holding {@code .git},
     * else {@code inside} itself.
     */
    static Path repositoryRoot(Path inside) {
        Path absolute = inside.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return dir;
            }
        }
        return absolute;
    }

    static FileTree directory(Path root) {
        return new FileTree() {
            @Override
            public List<String> list(String directory) {
                Path dir = root.resolve(directory);
                List<String> names = new ArrayList<>();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    return names;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (Files.isRegularFile(entry)) {
                            names.add(entry.getFileName().toString());
                        }
                    }
                } catch (IOException e) {
                    throw new WardenException(dir + ": cannot list: " + e.getMessage());
                }
                names.sort(null);
                return names;
            }

            @Override
            public Optional<String> read(String path) {
                Path file = root.resolve(path).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                try {
                    if (Files.size(file) > MAX_FILE_BYTES) {
                        throw new WardenException(file + ": larger than " + MAX_FILE_BYTES + " bytes, not read");
                    }
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new WardenException(file + ": not UTF-8 text");
                } catch (IOException e) {
                    throw new WardenException(file + ": cannot read: " + e.getMessage());
                }
            }

            @Override
            public String describe() {
                return root.toString();
            }
        };
    }

    /** The tree of {@code revision} in the repository {@code inside} belongs to; throws when there is none. */
    static FileTree gitRevision(Path inside, String revision) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(inside.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            throw new WardenException(inside + ": not inside a git repository");
        }
        try (Repository repo = builder.setMustExist(true).build(); RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(revision + "^{commit}");
            if (id == null) {
                throw new WardenException("unknown git revision '" + revision + "'");
            }
            RevCommit commit = walk.parseCommit(id);
            return new GitTree(builder.getGitDir().toPath(), commit.getTree().getId(), revision);
        } catch (IOException | RuntimeException e) {
            if (e instanceof WardenException known) {
                throw known;
            }
            throw new WardenException(inside + ": cannot read git revision '" + revision + "': " + e.getMessage());
        }
    }

    /** A git tree read on demand; each call opens the repository, so nothing stays open between calls. */
    record GitTree(Path gitDir, ObjectId tree, String revision) implements FileTree {

        @Override
        public List<String> list(String directory) {
            List<String> names = new ArrayList<>();
            walk(directory, (repo, walk) -> {
                if (directory.isEmpty()) {
                    collect(walk, 0, names);
                } else if (walk.getFileMode(0) == FileMode.TREE) {
                    int children = walk.getDepth() + 1;
                    walk.enterSubtree();
                    collect(walk, children, names);
                }
                return null;
            });
            names.sort(null);
            return names;
        }

        /** The regular files among the entries at {@code depth} the (non-recursive) walk visits next. */
        private static void collect(TreeWalk walk, int depth, List<String> names) throws IOException {
            while (walk.next()) {
                if (walk.getDepth() == depth
                        && (walk.getFileMode(0).getBits() & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                    names.add(walk.getNameString());
                }
            }
        }

        @Override
        public Optional<String> read(String path) {
            return Optional.ofNullable(walk(path, (repo, walk) -> {
                if ((walk.getFileMode(0).getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                    return null;
                }
                var loader = repo.open(walk.getObjectId(0));
                if (loader.getSize() > MAX_FILE_BYTES) {
                    throw new WardenException(revision + ":" + path + ": larger than " + MAX_FILE_BYTES
                            + " bytes, not read");
                }
                return new String(loader.getBytes(), StandardCharsets.UTF_8);
            }));
        }

        @Override
        public String describe() {
            return revision;
        }

        private interface Visit<T> {
            T at(Repository repo, TreeWalk walk) throws IOException;
        }

        private <T> T walk(String path, Visit<T> visit) {
            try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
                if (path.isEmpty()) {
                    try (TreeWalk walk = new TreeWalk(repo)) {
                        walk.addTree(tree);
                        return visit.at(repo, walk);
                    }
                }
                try (TreeWalk walk = TreeWalk.forPath(repo, path, tree)) {
                    return walk == null ? null : visit.at(repo, walk);
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof WardenException known) {
                    throw known;
                }
                throw new WardenException(revision + ":" + path + ": cannot read from git: " + e.getMessage());
            }
        }
    }
}
