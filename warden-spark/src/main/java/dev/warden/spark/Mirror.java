package dev.warden.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cargo.download.DownloadTemplate;
import dev.warden.cargo.index.IndexEntries;
import dev.warden.cargo.index.IndexEntry;
import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the crate versions to scan come from, on any file system Hadoop reaches (a local directory, HDFS, S3
 * through s3a): a mirror laid out like crates.io's {@code static} bucket ({@code crates/NAME/NAME-VERSION.crate}),
 * or a registry index (crates.io-index's layout, one JSON line per version) with the registry's download URL, each
 * archive then fetched by the executor that scans it and checked against the index's checksum.
 */
public sealed interface Mirror extends Serializable {

    /** The {@code static} bucket layout under {@code root}. */
    record Directory(String root) implements Mirror {
    }

    /**
     * An index checked out under {@code root}, with the download URL template {@code dl} (as in the index's
     * {@code config.json}: {@code {crate}}, {@code {version}}, {@code {prefix}}, …; null: that file's).
     */
    record Index(String root, String dl) implements Mirror {
    }

    /**
     * One crate version.
     *
     * @param location a file system path (directory mirror) or an http(s) URL (index)
     * @param bytes    the archive's size, or -1 when only the download will tell
     * @param checksum the index's SHA-256, or null for a directory mirror (nothing to check against)
     */
    record Entry(String name, String version, String location, long bytes, String checksum, boolean yanked)
            implements Serializable {
    }

    /** What the listing found, and what it skipped (not crate versions, said rather than guessed at). */
    record Listing(List<Entry> crates, List<String> skipped) {
    }

    /** Every crate version the source holds. */
    default Listing list(Configuration hadoop) {
        return switch (this) {
            case Directory directory -> listDirectory(directory.root(), hadoop);
            case Index index -> listIndex(index, hadoop);
        };
    }

    private static Listing listDirectory(String root, Configuration hadoop) {
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
                if (!file.getPath().getName().endsWith(".crate")) {
                    continue;
                }
                Entry entry = entry(file.getPath(), qualified, file.getLen());
                if (entry == null) {
                    skipped.add(file.getPath() + " (not crates/NAME/NAME-VERSION.crate)");
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
        return new Entry(name, version, file.toString(), bytes, null, false);
    }

    private static Listing listIndex(Index index, Configuration hadoop) {
        Path root = new Path(index.root());
        List<Entry> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(root);
            if (!fs.getFileStatus(qualified).isDirectory()) {
                throw new WardenException(root + ": not a directory (an index checkout)");
            }
            String dl = index.dl() != null ? index.dl() : configuredDownload(fs, new Path(qualified, "config.json"));
            checkDownload(dl);
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(qualified, true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                String relative = qualified.toUri().relativize(file.toUri()).getPath();
                if (relative.equals("config.json") || relative.startsWith(".") || relative.contains("/.")) {
                    continue; // the registry's configuration, .git and other hidden files
                }
                readIndexFile(fs, file, relative, dl, found, skipped);
            }
        } catch (FileNotFoundException e) {
            throw new WardenException(root + ": no such directory (an index checkout)");
        } catch (IOException e) {
            throw new WardenException(root + ": cannot list the index: " + e.getMessage());
        }
        return new Listing(List.copyOf(found), List.copyOf(skipped));
    }

    /** Lines that are not entries, or entries of another crate than the file is named for, are skipped. */
    private static void readIndexFile(FileSystem fs, Path file, String relative, String dl, List<Entry> found,
                                      List<String> skipped) throws IOException {
        String fileName = file.getName();
        try (FSDataInputStream in = fs.open(file);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<IndexEntry> parsed = IndexEntries.parse(line);
                if (parsed.isEmpty() || !IndexEntries.path(parsed.get().name()).equals(relative)) {
                    skipped.add(file + ":" + number + " (not an index entry of " + fileName + ")");
                    continue;
                }
                IndexEntry entry = parsed.get();
                String version = entry.version().toString();
                found.add(new Entry(entry.name(), version,
                        DownloadTemplate.expand(dl, entry.name(), version, entry.checksum()), -1,
                        entry.checksum(), entry.yanked()));
            }
        }
    }

    private static String configuredDownload(FileSystem fs, Path config) {
        try (FSDataInputStream in = fs.open(config)) {
            JsonNode dl = new ObjectMapper().readTree(in.readNBytes(1 << 20)).path("dl");
            if (!dl.isTextual()) {
                throw new WardenException(config + ": no \"dl\" download URL (give --dl)");
            }
            return dl.asText();
        } catch (FileNotFoundException e) {
            throw new WardenException(config + ": no such file, so no download URL (give --dl)");
        } catch (IOException e) {
            throw new WardenException(config + ": cannot read the download URL: " + e.getMessage());
        }
    }

    /** Executors fetch over HTTP(S) only: a template anything else would be read as files named by the index. */
    private static void checkDownload(String dl) {
        try {
            String scheme = URI.create(DownloadTemplate.expand(dl, "a", "0.0.0", "0")).getScheme();
            if (!"https".equals(scheme) && !"http".equals(scheme)) {
                throw new WardenException("download URL " + dl + ": not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new WardenException("download URL " + dl + ": not a URL: " + e.getMessage());
        }
    }
}
