package dev.warden.limit.pipeline;

import dev.warden.core.FileTree;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code .gitlab-ci.yml} and the files it includes locally into one {@link Pipeline}, the way GitLab merges
 * them: included files first, the including file's keys win; {@code default:} fills keys a job leaves out;
 * {@code extends:} deep-merges mappings from the named jobs; {@code !reference} tags in scripts are followed. Includes
 * Warden cannot read here ({@code project:}, {@code remote:}, {@code template:}, {@code component:}) are reported as
 * unread, never assumed harmless.
 */
final class GitLabPipelines {

    static final String FILE = ".gitlab-ci.yml";
    private static final Set<String> GLOBAL_KEYS = Set.of("default", "include", "stages", "variables", "workflow",
            "image", "services", "cache", "before_script", "after_script", "spec");
    private static final List<String> DEFAULTABLE = List.of("before_script", "after_script", "image", "services",
            "timeout", "id_tokens");
    private static final int MAX_INCLUDES = 100;
    private static final int MAX_EXTENDS = 11; // GitLab's own limit on extends depth

    private GitLabPipelines() {
    }

    /** What {@link #read} found besides the pipeline: the files it read (path → text) and the includes it could not. */
    record Reading(Pipeline pipeline, Map<String, String> files, List<Pipelines.Unread> unread) {
    }

    static Reading read(FileTree tree, String text) {
        Map<String, String> files = new LinkedHashMap<>();
        List<Pipelines.Unread> unread = new ArrayList<>();
        Map<String, YamlFile.Entry> top = new LinkedHashMap<>();
        merge(tree, FILE, text, top, files, unread, new LinkedHashSet<>());

        Map<String, YamlFile.Entry> defaults = new LinkedHashMap<>();
        for (String key : DEFAULTABLE) {
            if (top.containsKey(key)) {
                defaults.put(key, top.get(key));
            }
        }
        if (top.containsKey("default")) {
            defaults.putAll(YamlFile.entries(top.get("default").value()));
        }
        Map<String, Value> globals = variables(top.get("variables"));
        Map<String, Integer> events = new LinkedHashMap<>();
        events.put("push", 1);
        if (top.containsKey("workflow")) {
            mergeRequests(top.get("workflow").value(), events);
        }
        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, YamlFile.Entry> entry : top.entrySet()) {
            String id = entry.getKey();
            if (GLOBAL_KEYS.contains(id) || id.startsWith(".") || !(entry.getValue().value() instanceof MappingNode)) {
                continue;
            }
            Job job = job(id, entry.getValue(), top, defaults, globals);
            mergeRequests(entry.getValue().value(), events);
            jobs.add(job);
        }
        return new Reading(new Pipeline(Pipeline.Kind.GITLAB_CI, FILE, 1, events, null, globals, jobs), files, unread);
    }

    /** Reads one file into the top-level entries: its includes first, then its own keys over them. */
    private static void merge(FileTree tree, String file, String text, Map<String, YamlFile.Entry> top,
                              Map<String, String> files, List<Pipelines.Unread> unread, Set<String> including) {
        files.put(file, text);
        Node root = YamlFile.read(file, text).orElse(null);
        if (root == null) {
            return;
        }
        if (!(root instanceof MappingNode)) {
            throw new dev.warden.core.WardenException(file + ":" + YamlFile.line(root)
                    + ": a GitLab CI configuration must be a mapping of jobs and keywords");
        }
        Map<String, YamlFile.Entry> own = YamlFile.entries(root);
        YamlFile.Entry include = own.get("include");
        if (include != null) {
            including.add(file);
            for (Node item : YamlFile.items(include.value())) {
                for (String local : locals(tree, item, unread)) {
                    if (files.size() >= MAX_INCLUDES || including.contains(local)) {
                        continue;
                    }
                    Optional<String> included = tree.read(local);
                    if (included.isEmpty()) {
                        unread.add(new Pipelines.Unread(file, YamlFile.line(item), "local include " + local
                                + " does not exist"));
                    } else if (!files.containsKey(local)) {
                        merge(tree, local, included.get(), top, files, unread, including);
                    }
                }
            }
            including.remove(file);
        }
        for (Map.Entry<String, YamlFile.Entry> entry : own.entrySet()) {
            if (!entry.getKey().equals("include")) {
                top.remove(entry.getKey());
                top.put(entry.getKey(), entry.getValue());
            }
        }
    }

    /** The local files an include item names (a {@code *} in the last segment lists that directory). */
    private static List<String> locals(FileTree tree, Node item, List<Pipelines.Unread> unread) {
        String local = YamlFile.text(item);
        String file = YamlFile.file(item);
        if (local == null) {
            local = YamlFile.text(item, "local");
            if (local == null) {
                String kind = YamlFile.entries(item).keySet().stream().findFirst().orElse("include");
                unread.add(new Pipelines.Unread(file, YamlFile.line(item), kind + " include "
                        + Optional.ofNullable(YamlFile.text(item, kind)).orElse("") + " is not in this repository"));
                return List.of();
            }
        } else if (local.contains("://")) {
            unread.add(new Pipelines.Unread(file, YamlFile.line(item), "remote include " + local
                    + " is not in this repository"));
            return List.of();
        }
        String path = local.replaceFirst("^/+", "");
        if (path.contains("..")) {
            unread.add(new Pipelines.Unread(file, YamlFile.line(item), "include " + local + " leaves the repository"));
            return List.of();
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        if (!name.contains("*")) {
            return List.of(path);
        }
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String pattern = "\\Q" + name.replace("*", "\\E[^/]*\\Q") + "\\E";
        return tree.list(dir).stream().filter(n -> n.matches(pattern))
                .map(n -> dir.isEmpty() ? n : dir + "/" + n).toList();
    }

    private static Job job(String id, YamlFile.Entry entry, Map<String, YamlFile.Entry> top,
                           Map<String, YamlFile.Entry> defaults, Map<String, Value> globals) {
        Map<String, YamlFile.Entry> keys = extended(entry.value(), top, 0);
        for (Map.Entry<String, YamlFile.Entry> fallback : defaults.entrySet()) {
            keys.putIfAbsent(fallback.getKey(), fallback.getValue());
        }
        Map<String, Value> env = new LinkedHashMap<>(globals);
        env.putAll(variables(keys.get("variables")));
        List<Step> steps = new ArrayList<>();
        for (String section : List.of("before_script", "script", "after_script")) {
            YamlFile.Entry script = keys.get(section);
            if (script != null) {
                lines(script.value(), section, top, steps, 0);
            }
        }
        Map<String, Value> idTokens = new LinkedHashMap<>();
        if (keys.get("id_tokens") != null) {
            YamlFile.entries(keys.get("id_tokens").value()).forEach((name, token) -> idTokens.put(name,
                    new Value(Optional.ofNullable(YamlFile.text(token.value(), "aud")).orElse(""), token.line())));
        }
        List<Value> secrets = new ArrayList<>();
        if (keys.get("secrets") != null) {
            YamlFile.entries(keys.get("secrets").value()).forEach((name, secret) ->
                    secrets.add(new Value(name, secret.line())));
        }
        Job.Container container = null;
        if (keys.get("image") != null) {
            Node image = keys.get("image").value();
            String name = image instanceof MappingNode ? YamlFile.text(image, "name") : YamlFile.text(image);
            container = new Job.Container(name, null);
        }
        Value timeout = keys.get("timeout") == null ? null : scalar(keys.get("timeout").value());
        Node target = keys.get("environment") == null ? null : keys.get("environment").value();
        String environment = target instanceof MappingNode ? YamlFile.text(target, "name") : target == null ? null
                : YamlFile.text(target);
        return new Job(YamlFile.file(entry.key()), id, entry.line(), null, env, container, steps, idTokens, secrets,
                timeout, environment, null);
    }

    /** Notes merge-request pipelines: {@code rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"}, {@code only}. */
    private static void mergeRequests(Node node, Map<String, Integer> events) {
        for (Node rule : YamlFile.items(YamlFile.get(node, "rules").orElse(null))) {
            String condition = YamlFile.text(rule, "if");
            if (condition != null && condition.contains("merge_request")) {
                events.putIfAbsent("merge_request", YamlFile.line(rule));
            }
        }
        Node only = YamlFile.get(node, "only").orElse(null);
        for (Node ref : YamlFile.items(only instanceof MappingNode ? YamlFile.get(only, "refs").orElse(null) : only)) {
            if ("merge_requests".equals(YamlFile.text(ref))) {
                events.putIfAbsent("merge_request", YamlFile.line(ref));
            }
        }
    }

    /** A job's keys with {@code extends} applied: the named jobs' keys first, mappings merged deeply. */
    private static Map<String, YamlFile.Entry> extended(Node job, Map<String, YamlFile.Entry> top, int depth) {
        Map<String, YamlFile.Entry> own = YamlFile.entries(job);
        Map<String, YamlFile.Entry> keys = new LinkedHashMap<>();
        YamlFile.Entry parents = own.get("extends");
        if (parents != null && depth < MAX_EXTENDS) {
            for (Node parent : YamlFile.items(parents.value())) {
                YamlFile.Entry base = top.get(YamlFile.text(parent));
                if (base != null && base.value() != job) {
                    Map<String, YamlFile.Entry> inherited = extended(base.value(), top, depth + 1);
                    inherited.forEach((key, value) -> keys.merge(key, value, GitLabPipelines::deepMerge));
                }
            }
        }
        own.forEach((key, value) -> {
            if (!key.equals("extends")) {
                keys.merge(key, value, GitLabPipelines::deepMerge);
            }
        });
        return keys;
    }

    /** GitLab merges hashes key by key under extends; anything else is replaced. */
    private static YamlFile.Entry deepMerge(YamlFile.Entry base, YamlFile.Entry over) {
        if (base.value() instanceof MappingNode inherited && over.value() instanceof MappingNode own) {
            List<NodeTuple> tuples = new ArrayList<>(inherited.getValue());
            tuples.addAll(own.getValue());
            MappingNode merged = new MappingNode(own.getTag(), true, deduplicated(tuples), own.getFlowStyle(),
                    own.getStartMark(), own.getEndMark());
            return new YamlFile.Entry(over.key(), merged);
        }
        return over;
    }

    private static List<NodeTuple> deduplicated(
            List<NodeTuple> tuples) {
        Map<String, NodeTuple> byKey = new LinkedHashMap<>();
        for (NodeTuple tuple : tuples) {
            String key = YamlFile.text(tuple.getKeyNode());
            byKey.remove(key);
            byKey.put(key, tuple);
        }
        return new ArrayList<>(byKey.values());
    }

    /** Script lines as steps; nested lists are flattened and {@code !reference [job, key]} followed. */
    private static void lines(Node node, String section, Map<String, YamlFile.Entry> top, List<Step> into, int depth) {
        if (depth > 10) {
            return;
        }
        if ("!reference".equals(YamlFile.localTag(node)) && node instanceof SequenceNode reference) {
            Node target = null;
            for (Node part : reference.getValue()) {
                String key = YamlFile.text(part);
                target = target == null ? Optional.ofNullable(top.get(key)).map(YamlFile.Entry::value).orElse(null)
                        : YamlFile.get(target, key).orElse(null);
                if (target == null) {
                    return;
                }
            }
            if (target != null) {
                lines(target, section, top, into, depth + 1);
            }
            return;
        }
        String text = YamlFile.text(node);
        if (text != null) {
            into.add(new Step(YamlFile.file(node), YamlFile.line(node), section, null, Map.of(), text,
                    YamlFile.contentLine(node), YamlFile.linesKept(node), Map.of()));
            return;
        }
        for (Node item : YamlFile.sequence(node)) {
            lines(item, section, top, into, depth + 1);
        }
    }

    /** {@code variables:} values, plain or as {@code {value: …, description: …}}. */
    private static Map<String, Value> variables(YamlFile.Entry entry) {
        Map<String, Value> values = new LinkedHashMap<>();
        if (entry == null) {
            return values;
        }
        YamlFile.entries(entry.value()).forEach((name, variable) -> {
            Node value = variable.value();
            String text = value instanceof MappingNode ? YamlFile.text(value, "value") : YamlFile.text(value);
            values.put(name, new Value(text == null ? "" : text, variable.line()));
        });
        return values;
    }

    private static Value scalar(Node node) {
        String text = YamlFile.text(node);
        return text == null ? null : new Value(text, YamlFile.line(node));
    }
}
