package dev.warden.spark;

import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry mirror laid out like crates.io's {@code static} bucket: {@code crates/NAME/NAME-VERSION.crate} under
 * its root, on any file system Hadoop reaches (a local directory, HDFS, S3 through s3a).
 */
public final class Mirror {

    /** One crate version in the mirror. */
    public record Entry(String name, String version, String path, long bytes) implements Serializable {
    }

    /** What the listing found. */
    public record Listing(List<Entry> crates, List<String> skipped) {
    }

    private Mirror() {
    }

    /**
     * Every {@code .crate} file under {@code root/crates}; files elsewhere or named unlike their directory (not
     * {@code NAME-VERSION.crate} with a semantic version) are skipped and said, never guessed at.
     */
    public static Listing list(String root, Configuration hadoop) {
        Path crates = new Path(root, "crates");
        List<Entry> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            FileSystem fs = crates.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(crates); // as the listing names its files, scheme included
            if (!fs.getFileStatus(qualified).isDirectory()) {
                throw new WardenException(crates + ": not a directory (a mirror holds crates/NAME/NAME-VERSION.crate)");
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(qualified, true);
            while (files.hasNext()) {
                LocatedFileStatus file = files.next();
                String fileName = file.getPath().getName();
                if (!fileName.endsWith(".crate")) {
                    continue;
                }
                Entry entry = entry(file.getPath(), qualified, file.getLen());
                if (entry == null) {
                    skipped.add(file.getPath().toString());
                } else {
                    found.add(entry);
                }
            }
        } catch (FileNotFoundException e) {
            throw new WardenException(crates + ": no such directory (a mirror holds crates/NAME/NAME-VERSION.crate)");
        } catch (IOException e) {
            throw new WardenException(crates + ": cannot list the mirror: " + e.getMessage());
        }
        return new Listing(List.copyOf(found), List.copyOf(skipped));
    }

    /** {@code crates/serde/serde-1.0.0.crate} → serde 1.0.0; null when the path does not say a crate version. */
    static Entry entry(Path file, Path crates, long bytes) {
        Path dir = file.getParent();
        if (dir == null || dir.getParent() == null || !dir.getParent().equals(crates)) {
            return null;
        }
        String name = dir.getName();
        String fileName = file.getName();
        String prefix = name + "-";
        if (!fileName.startsWith(prefix) || fileName.length() <= prefix.length() + ".crate".length()) {
            return null;
        }
        String version = fileName.substring(prefix.length(), fileName.length() - ".crate".length());
        try {
            Version.parse(version);
        } catch (WardenException e) { // SemverException: not a version, so not a crate file
            return null;
        }
        return new Entry(name, version, file.toString(), bytes);
    }
}
