package dev.warden.limit.pipeline;

import dev.warden.core.FileTree;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads GitHub Actions workflows ({@code .github/workflows/*.yml}) into {@link Pipeline}s. A step that uses a local
 * composite action ({@code uses: ./.github/actions/setup}) is followed by that action's own steps, read from its
 * {@code action.yml}, because they run in the same job with the same token and variables.
 */
final class GitHubWorkflows {

    static final String DIRECTORY = ".github/workflows";
    private static final int MAX_ACTION_DEPTH = 8;

    private GitHubWorkflows() {
    }

    static List<String> files(FileTree tree) {
        return tree.list(DIRECTORY).stream().filter(name -> name.endsWith(".yml") || name.endsWith(".yaml"))
                .map(name -> DIRECTORY + "/" + name).toList();
    }

    static Pipeline read(FileTree tree, String file, String text, Map<String, String> read) {
        Node root = YamlFile.read(file, text).orElse(null);
        if (root != null && !(root instanceof MappingNode)) {
            throw new dev.warden.core.WardenException(file + ":" + YamlFile.line(root)
                    + ": a workflow must be a mapping with on: and jobs:");
        }
        Map<String, Integer> events = new LinkedHashMap<>();
        Node on = root == null ? null : YamlFile.get(root, "on").orElse(null);
        if (on instanceof MappingNode) {
            YamlFile.entries(on).forEach((event, entry) -> events.put(event, entry.line()));
        } else if (on != null) {
            for (Node item : YamlFile.items(on)) {
                String event = YamlFile.text(item);
                if (event != null) {
                    events.put(event, YamlFile.line(item));
                }
            }
        }
        Permissions permissions = permissions(YamlFile.entries(root).get("permissions"));
        Map<String, Value> env = root == null ? Map.of() : YamlFile.get(root, "env").map(YamlFile::scalars)
                .orElse(Map.of());
        List<Job> jobs = new ArrayList<>();
        Node jobsNode = root == null ? null : YamlFile.get(root, "jobs").orElse(null);
        YamlFile.entries(jobsNode).forEach((id, entry) -> jobs.add(job(tree, file, id, entry, read)));
        return new Pipeline(Pipeline.Kind.GITHUB_ACTIONS, file, root == null ? 1 : YamlFile.line(root), events,
                permissions, env, jobs);
    }

    private static Job job(FileTree tree, String file, String id, YamlFile.Entry entry, Map<String, String> read) {
        Node node = entry.value();
        Permissions permissions = permissions(YamlFile.entries(node).get("permissions"));
        Map<String, Value> env = YamlFile.get(node, "env").map(YamlFile::scalars).orElse(Map.of());
        Job.Container container = YamlFile.get(node, "container").map(GitHubWorkflows::container).orElse(null);
        List<Step> steps = new ArrayList<>();
        YamlFile.get(node, "steps").ifPresent(list -> steps(tree, file, list, steps, read, 0));
        Value timeout = YamlFile.get(node, "timeout-minutes").map(t -> value(t)).orElse(null);
        String environment = YamlFile.get(node, "environment")
                .map(e -> e instanceof MappingNode ? YamlFile.text(e, "name") : YamlFile.text(e)).orElse(null);
        Value calls = YamlFile.get(node, "uses").map(GitHubWorkflows::value).orElse(null);
        return new Job(file, id, entry.line(), permissions, env, container, steps, Map.of(), List.of(), timeout,
                environment, calls);
    }

    private static void steps(FileTree tree, String file, Node list, List<Step> into, Map<String, String> read, int depth) {
        for (Node node : YamlFile.sequence(list)) {
            if (!(node instanceof MappingNode)) {
                continue;
            }
            String name = Optional.ofNullable(YamlFile.text(node, "name")).orElse(YamlFile.text(node, "id"));
            String uses = YamlFile.text(node, "uses");
            Node run = YamlFile.get(node, "run").orElse(null);
            Step step = new Step(file, YamlFile.line(node), name, uses,
                    YamlFile.get(node, "with").map(YamlFile::scalars).orElse(Map.of()),
                    run == null ? null : YamlFile.text(run), run == null ? 0 : YamlFile.contentLine(run),
                    run != null && YamlFile.linesKept(run),
                    YamlFile.get(node, "env").map(YamlFile::scalars).orElse(Map.of()));
            into.add(step);
            if (uses != null && uses.startsWith("./") && depth < MAX_ACTION_DEPTH) {
                composite(tree, uses, into, read, depth);
            }
        }
    }

    /** The steps of a local composite action, read from its action.yml (or action.yaml). */
    private static void composite(FileTree tree, String uses, List<Step> into, Map<String, String> read, int depth) {
        String dir = uses.substring(2).replaceAll("/+$", "");
        if (dir.contains("..")) {
            return;
        }
        for (String name : List.of("action.yml", "action.yaml")) {
            String path = dir.isEmpty() ? name : dir + "/" + name;
            Optional<String> text = tree.read(path);
            if (text.isEmpty()) {
                continue;
            }
            read.putIfAbsent(path, text.get());
            Node root = YamlFile.read(path, text.get()).orElse(null);
            Node runs = root == null ? null : YamlFile.get(root, "runs").orElse(null);
            if (runs != null && "composite".equals(YamlFile.text(runs, "using"))) {
                YamlFile.get(runs, "steps").ifPresent(steps -> steps(tree, path, steps, into, read, depth + 1));
            }
            return;
        }
    }

    private static Permissions permissions(YamlFile.Entry entry) {
        if (entry == null) {
            return null;
        }
        String shorthand = YamlFile.text(entry.value());
        return new Permissions(entry.line(), shorthand == null ? null : shorthand.trim(),
                YamlFile.scalars(entry.value()));
    }

    private static Job.Container container(Node node) {
        String image = YamlFile.text(node);
        if (image != null) {
            return new Job.Container(image, null);
        }
        return new Job.Container(YamlFile.text(node, "image"),
                YamlFile.get(node, "options").map(GitHubWorkflows::value).orElse(null));
    }

    private static Value value(Node node) {
        String text = YamlFile.text(node);
        return text == null ? null : new Value(text, YamlFile.line(node));
    }
}
