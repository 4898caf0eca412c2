package dev.warden.cargo.change;

import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.Environment;
import dev.warden.core.FileTree;
import dev.warden.core.WardenException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns what a user names as the base of a change — a lockfile, a project directory, or a git revision of the
 * project's own lockfile ({@code origin/main}, {@code HEAD~3}, a commit) — into the base lockfile. The base is read
 * as a lockfile on its own: checking it against today's manifests would report the old lockfile as out of date,
 * which says nothing about the change.
 */
public final class BaseResolver {

    private BaseResolver() {
    }

    /**
     * @param spec     the user's words
     * @param lockfile the project's current lockfile, whose git history a revision refers to
     */
    public static Base resolve(String spec, Path lockfile, Environment env) {
        Path onDisk = env.resolve(spec);
        if (Files.isDirectory(onDisk)) {
            Path inside = onDisk.resolve("Cargo.lock");
            if (!Files.isRegularFile(inside)) {
                throw new WardenException(onDisk + ": no Cargo.lock here to compare with");
            }
            return new Base(LockfileParser.parse(inside), display(env, inside),
                    FileTree.directory(FileTree.repositoryRoot(onDisk)));
        }
        if (Files.isRegularFile(onDisk)) {
            return new Base(LockfileParser.parse(onDisk), spec);
        }
        if (spec.endsWith(".lock") || spec.endsWith(".toml")) {
            throw new WardenException(onDisk + ": no such file or directory");
        }
        Lockfile atRevision = LockfileRevision.read(lockfile, spec);
        return new Base(atRevision, atRevision.path().toString(),
                FileTree.gitRevision(lockfile.toAbsolutePath().getParent(), spec));
    }

    private static String display(Environment env, Path path) {
        Path relative = env.workingDirectory().relativize(path.toAbsolutePath().normalize());
        return relative.toString();
    }
}
