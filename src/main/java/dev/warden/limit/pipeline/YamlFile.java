package dev.warden.limit.pipeline;

import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CI definition read with SnakeYAML Engine into nodes that keep their position, so every finding names the exact
 * line. Nodes are composed, never constructed: no tag runs code, aliases stay shared nodes (bounded, against alias
 * bombs), and GitLab's {@code <<} merge keys are applied when a mapping is read. A file that is not valid YAML, or
 * repeats a key, is refused with its {@code file:line}.
 */
final class YamlFile {

    /** Larger CI definitions than this are not written by people; refusing them bounds memory and time. */
    static final int MAX_CHARACTERS = 4 * 1024 * 1024;

    private YamlFile() {
    }

    /** The document's root node, or empty for an empty file. */
    static Optional<Node> read(String file, String text) {
        String display = Printable.of(file);
        if (text.length() > MAX_CHARACTERS) {
            throw new WardenException(display + ": " + text.length() + " characters is more than a CI definition "
                    + "holds (limit " + MAX_CHARACTERS + ")");
        }
        LoadSettings settings = LoadSettings.builder().setLabel(file).setMaxAliasesForCollections(200)
                .setCodePointLimit(MAX_CHARACTERS).build();
        try {
            return new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            throw new WardenException((line > 0 ? display + ":" + line : display) + ": not valid YAML: "
                    + oneLine(e.getProblem() == null ? e.getMessage() : e.getProblem()));
        } catch (YamlEngineException e) {
            throw new WardenException(display + ": not valid YAML: " + oneLine(e.getMessage()));
        } catch (StackOverflowError e) {
            // The composer recurses per nesting level; a file built to exhaust the stack is refused, not a crash.
            throw new WardenException(display + ": nested more deeply than a CI definition is");
        }
    }

    private static String oneLine(String text) {
        String first = text == null ? "unreadable" : text.strip().lines().findFirst().orElse("unreadable");
        return first.replaceAll("\\p{Cntrl}", "?");
    }

    /** The file a node was read from (its label), so nodes merged from included files keep their own. */
    static String file(Node node) {
        return node.getStartMark().map(Mark::getName).orElse("");
    }

    /** The 1-based line a node starts on. */
    static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }

    /**
     * The 1-based line of a scalar's first content line: the line after the {@code |} or {@code >} indicator for a
     * block scalar, the scalar's own line otherwise.
     */
    static int contentLine(Node node) {
        boolean block = node instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.LITERAL
                || scalar.getScalarStyle() == ScalarStyle.FOLDED);
        return line(node) + (block ? 1 : 0);
    }

    /** Whether each line of the scalar's value is a line of the file (literal block or single-line scalars). */
    static boolean linesKept(Node node) {
        return node instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.LITERAL
                || !scalar.getValue().contains("\n"));
    }

    /** A mapping's entries by key, in file order, with {@code <<} merges applied (later keys win, as in YAML 1.1). */
    static Map<String, Entry> entries(Node node) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            collect(mapping, entries, 0);
        }
        return entries;
    }

    /** One mapping entry: the key's node (for its line) and the value. */
    record Entry(Node key, Node value) {
        int line() {
            return YamlFile.line(key);
        }
    }

    private static void collect(MappingNode mapping, Map<String, Entry> into, int depth) {
        if (depth > 20) {
            return;
        }
        Map<String, Entry> own = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                continue;
            }
            if (key.getValue().equals("<<") && key.isPlain()) {
                Node merged = tuple.getValueNode();
                List<Node> sources = merged instanceof SequenceNode sequence ? sequence.getValue() : List.of(merged);
                for (Node source : sources) {
                    if (source instanceof MappingNode inner) {
                        collect(inner, into, depth + 1);
                    }
                }
            } else if (own.putIfAbsent(key.getValue(), new Entry(key, tuple.getValueNode())) != null) {
                // CI services refuse a definition with a repeated key; reading either copy would judge the wrong one.
                throw new WardenException(Printable.of(file(key)) + ":" + line(key) + ": not valid YAML: key '"
                        + Printable.of(key.getValue()) + "' is repeated");
            }
        }
        for (Map.Entry<String, Entry> entry : own.entrySet()) {
            into.remove(entry.getKey());
            into.put(entry.getKey(), entry.getValue());
        }
    }

    static Optional<Node> get(Node node, String key) {
        Entry entry = entries(node).get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    /** A scalar's text, or null for anything else (a mapping, a sequence, an empty value). */
    static String text(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getTag().getValue().endsWith(":null") && scalar.isPlain() ? null : scalar.getValue();
        }
        return null;
    }

    static String text(Node node, String key) {
        return get(node, key).map(YamlFile::text).orElse(null);
    }

    /** A sequence's items; a single value counts as a one-item sequence, as in {@code on: push}. */
    static List<Node> items(Node node) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        return node == null || text(node) == null && !(node instanceof MappingNode) ? List.of() : List.of(node);
    }

    /** A mapping of scalar values (env, with, variables), each with its line; non-scalar values are left out. */
    static Map<String, Value> scalars(Node node) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> entry : entries(node).entrySet()) {
            String text = text(entry.getValue().value());
            if (text != null) {
                values.put(entry.getKey(), new Value(text, line(entry.getValue().value())));
            }
        }
        return values;
    }

    /** The tag of a node when it is a local one such as GitLab's {@code !reference}, else null. */
    static String localTag(Node node) {
        String tag = node.getTag().getValue();
        return tag.startsWith("!") ? tag : null;
    }

    static List<Node> sequence(Node node) {
        return node instanceof SequenceNode sequence ? sequence.getValue() : new ArrayList<>();
    }
}
