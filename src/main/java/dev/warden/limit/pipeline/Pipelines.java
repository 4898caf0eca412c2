package dev.warden.limit.pipeline;

import dev.warden.core.FileTree;
import dev.warden.core.Sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every CI definition of one repository version: its GitHub Actions workflows (with the local composite actions
 * they use) and its GitLab CI configuration (with local includes), read once for every pipeline check.
 *
 * @param pipelines in file order
 * @param files     each file read, with the SHA-256 of its content (so a change's CI edits can be told apart)
 * @param unread    parts of the definition that live elsewhere and were not read here
 */
public record Pipelines(List<Pipeline> pipelines, Map<String, String> files, List<Unread> unread) {

    public Pipelines {
        pipelines = List.copyOf(pipelines);
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        unread = List.copyOf(unread);
    }

    /** Something the definition pulls in that is not in the repository (a remote include, another project's file). */
    public record Unread(String file, int line, String what) {
    }

    /**
     * Where the CI definitions for {@code dir} live: the nearest directory from {@code dir} up that holds
     * {@code .github/workflows} or {@code .gitlab-ci.yml}, not above the repository's root; else that root.
     */
    public static Path root(Path dir) {
        Path repository = FileTree.repositoryRoot(dir);
        for (Path at = dir.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve(GitHubWorkflows.DIRECTORY))
                    || Files.isRegularFile(at.resolve(GitLabPipelines.FILE)) || at.equals(repository)) {
                return at;
            }
        }
        return repository;
    }

    public static Pipelines read(FileTree tree) {
        List<Pipeline> pipelines = new ArrayList<>();
        Map<String, String> files = new TreeMap<>();
        List<Unread> unread = new ArrayList<>();
        for (String file : GitHubWorkflows.files(tree)) {
            String text = tree.read(file).orElse("");
            Map<String, String> actions = new LinkedHashMap<>();
            pipelines.add(GitHubWorkflows.read(tree, file, text, actions));
            files.put(file, hash(text));
            actions.forEach((action, content) -> files.put(action, hash(content)));
        }
        Optional<String> gitlab = tree.read(GitLabPipelines.FILE);
        if (gitlab.isPresent()) {
            GitLabPipelines.Reading reading = GitLabPipelines.read(tree, gitlab.get());
            pipelines.add(reading.pipeline());
            reading.files().forEach((file, content) -> files.put(file, hash(content)));
            unread.addAll(reading.unread());
        }
        return new Pipelines(pipelines, files, unread);
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Whether {@code other} has exactly the same CI files with the same content. */
    public boolean sameFilesAs(Pipelines other) {
        return files.equals(other.files);
    }

    private static String hash(String text) {
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
