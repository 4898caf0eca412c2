package dev.warden.cargo.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Expands workspace member globs ({@code crates/*}, {@code tools/**}, {@code a/b?}) the way Cargo's glob crate does:
 * {@code *} and {@code ?} stay within one path segment, {@code **} spans any number of directories.
 */
final class Glob {

    private Glob() {
    }

    static boolean hasMeta(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** Existing directories under {@code base} matching {@code pattern}, sorted. */
    static List<Path> expand(Path base, String pattern) {
        String clean = trimSlashes(pattern);
        if (!hasMeta(clean)) {
            return List.of(base.resolve(clean).normalize());
        }
        List<Path> current = List.of(base);
        for (String segment : clean.split("/")) {
            TreeSet<Path> next = new TreeSet<>();
            for (Path dir : current) {
                next.addAll(expandSegment(dir, segment));
            }
            current = new ArrayList<>(next);
        }
        return current.stream().map(Path::normalize).toList();
    }

    private static List<Path> expandSegment(Path dir, String segment) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        if (segment.equals("**")) {
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isDirectory).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!hasMeta(segment)) {
            Path child = dir.resolve(segment);
            return Files.isDirectory(child) ? List.of(child) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + segment);
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.isDirectory(child) && matcher.matches(child.getFileName())) {
                    matches.add(child);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return matches;
    }

    /**
     * Whether {@code path} is excluded from the workspace at {@code base}: an {@code exclude} entry is a prefix of it
     * (as Cargo checks) or matches it as a glob, and no literal {@code members} entry is a prefix of it (Cargo lets an
     * explicitly listed member inside an excluded directory stay a member).
     */
    static boolean excluded(Path base, Path path, List<String> excludes, List<String> members) {
        for (String member : members) {
            String clean = trimSlashes(member);
            if (!hasMeta(clean) && path.startsWith(base.resolve(clean).normalize())) {
                return false;
            }
        }
        for (String exclude : excludes) {
            String clean = trimSlashes(exclude);
            if (path.startsWith(base.resolve(clean).normalize())) {
                return true;
            }
            if (hasMeta(clean) && FileSystems.getDefault().getPathMatcher("glob:" + clean)
                    .matches(base.relativize(path))) {
                return true;
            }
        }
        return false;
    }

    private static String trimSlashes(String pattern) {
        String p = pattern.replace('\\', '/');
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return p.startsWith("./") ? p.substring(2) : p;
    }
}
