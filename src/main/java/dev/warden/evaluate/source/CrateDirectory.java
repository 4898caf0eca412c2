package dev.warden.evaluate.source;

import dev.warden.core.WardenException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads an unpacked crate directory (vendored, cached or a project member) without following links. */
public final class CrateDirectory {

    private CrateDirectory() {
    }

    public static CrateTree read(Path dir, TreeLimits limits) {
        List<CrateTree.Entry> entries = new ArrayList<>();
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                long total;

                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String name = d.getFileName() == null ? "" : d.getFileName().toString();
                    // A directory with a Cargo.toml of its own is another package (vendor/x, a nested member):
                    // `cargo package` leaves it out, and so does the scan of this one.
                    if (!d.equals(root) && (name.equals("target") || name.equals(".git")
                            || Files.isRegularFile(d.resolve("Cargo.toml")))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!d.equals(root)) {
                        add(new CrateTree.Entry(relative(d), CrateTree.Type.DIRECTORY, 0, false, null, null));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        add(new CrateTree.Entry(relative(file), CrateTree.Type.SYMLINK, 0, false,
                                Files.readSymbolicLink(file).toString(), null));
                    } else if (attrs.isRegularFile()) {
                        total += attrs.size();
                        if (attrs.size() > limits.maxFileBytes() || total > limits.maxTotalBytes()) {
                            throw new WardenException(file + ": refused: larger than the scan limits");
                        }
                        add(new CrateTree.Entry(relative(file), hardLinked(file) ? CrateTree.Type.HARDLINK
                                : CrateTree.Type.FILE, attrs.size(), executable(file), null, null));
                    } else {
                        add(new CrateTree.Entry(relative(file), CrateTree.Type.OTHER, 0, false, null, null));
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void add(CrateTree.Entry entry) {
                    if (entries.size() >= limits.maxEntries()) {
                        throw new WardenException(root + ": refused: more than " + limits.maxEntries() + " files");
                    }
                    entries.add(entry);
                }

                private String relative(Path p) {
                    return root.relativize(p).toString().replace('\\', '/');
                }
            });
        } catch (IOException e) {
            throw new WardenException(root + ": cannot read crate directory: " + e.getMessage());
        }
        return new CrateTree(root.toString(), root, entries);
    }

    private static boolean executable(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A second name for the same inode: a file shared with something outside the crate, possibly. */
    private static boolean hardLinked(Path file) {
        try {
            Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return links instanceof Integer n && n > 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
