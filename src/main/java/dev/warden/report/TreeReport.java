package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.cargo.graph.TreeNode;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.project.Project;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code warden tree}: text like {@code cargo tree}; JSON as nested objects
 * <pre>{"trees":[{"name","version","source","kind","repeated","dependencies":[…]}]}</pre>
 * where {@code kind} is the edge kind from the parent ({@code normal|build|dev}, {@code unknown} when the parent's
 * manifest is unavailable, null at the top) and {@code repeated} marks a package already expanded above.
 */
public final class TreeReport {

    private TreeReport() {
    }

    public static void text(Project project, List<TreeNode> trees, PrintWriter out) {
        boolean first = true;
        for (TreeNode tree : trees) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println(line(project, tree));
            children(project, tree, "", out);
        }
    }

    private static void children(Project project, TreeNode parent, String prefix, PrintWriter out) {
        DependencyKind section = DependencyKind.NORMAL;
        List<TreeNode> children = parent.children();
        for (int i = 0; i < children.size(); i++) {
            TreeNode child = children.get(i);
            DependencyKind kind = child.kind() == null ? DependencyKind.NORMAL : child.kind();
            if (kind != section) {
                section = kind;
                out.println(prefix + "[" + kind.table() + "]");
            }
            boolean last = i == children.size() - 1 || sectionOf(children.get(i + 1)) != kind;
            out.println(prefix + (last ? "└── " : "├── ") + line(project, child));
            children(project, child, prefix + (last ? "    " : "│   "), out);
        }
    }

    private static DependencyKind sectionOf(TreeNode node) {
        return node.kind() == null ? DependencyKind.NORMAL : node.kind();
    }

    private static String line(Project project, TreeNode node) {
        String label = Labels.of(node.node().id(), project);
        return node.repeated() ? label + " (*)" : label;
    }

    public static void json(List<TreeNode> trees, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("trees");
            for (TreeNode tree : trees) {
                node(json, tree);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void node(JsonGenerator json, TreeNode node) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", node.node().name());
        json.writeStringField("version", node.node().pkg().version().toString());
        JsonOutput.stringOrNull(json, "source", node.node().pkg().source());
        JsonOutput.stringOrNull(json, "kind", node.kind() == null ? null
                : node.kindKnown() ? node.kind().label() : "unknown");
        json.writeBooleanField("repeated", node.repeated());
        json.writeArrayFieldStart("dependencies");
        for (TreeNode child : node.children()) {
            node(json, child);
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
