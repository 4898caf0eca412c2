package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.cargo.graph.TreeNode;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.project.Project;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * {@code warden tree}: text like {@code cargo tree}; JSON as nested objects
 * <pre>{"trees":[{"name","version","source","sourceKind","kind","repeated","dependencies":[…]}]}</pre>
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

    /** Prints a tree's branches depth-first with an explicit stack, so any depth prints. */
    private static void children(Project project, TreeNode root, String rootPrefix, PrintWriter out) {
        Deque<Branch> stack = new ArrayDeque<>();
        stack.push(new Branch(root, rootPrefix));
        while (!stack.isEmpty()) {
            Branch branch = stack.peek();
            List<TreeNode> children = branch.parent.children();
            if (branch.next >= children.size()) {
                stack.pop();
                continue;
            }
            int i = branch.next++;
            TreeNode child = children.get(i);
            DependencyKind kind = sectionOf(child);
            if (kind != branch.section) {
                branch.section = kind;
                out.println(branch.prefix + "[" + kind.table() + "]");
            }
            boolean last = i == children.size() - 1 || sectionOf(children.get(i + 1)) != kind;
            out.println(branch.prefix + (last ? "└── " : "├── ") + line(project, child));
            stack.push(new Branch(child, branch.prefix + (last ? "    " : "│   ")));
        }
    }

    /** A node whose children are being printed: which comes next, under which section heading. */
    private static final class Branch {

        final TreeNode parent;
        final String prefix;
        int next;
        DependencyKind section = DependencyKind.NORMAL;

        Branch(TreeNode parent, String prefix) {
            this.parent = parent;
            this.prefix = prefix;
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

    /** Writes a tree depth-first with an explicit stack of the children still to write. */
    private static void node(JsonGenerator json, TreeNode root) throws IOException {
        Deque<Iterator<TreeNode>> pending = new ArrayDeque<>();
        open(json, root);
        pending.push(root.children().iterator());
        while (!pending.isEmpty()) {
            Iterator<TreeNode> next = pending.peek();
            if (next.hasNext()) {
                TreeNode child = next.next();
                open(json, child);
                pending.push(child.children().iterator());
            } else {
                pending.pop();
                json.writeEndArray();
                json.writeEndObject();
            }
        }
    }

    /** A node's fields, up to the opened array of its dependencies. */
    private static void open(JsonGenerator json, TreeNode node) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", node.node().name());
        json.writeStringField("version", node.node().pkg().version().toString());
        JsonOutput.source(json, "source", node.node().pkg());
        JsonOutput.stringOrNull(json, "kind", node.kind() == null ? null
                : node.kindKnown() ? node.kind().label() : "unknown");
        json.writeBooleanField("repeated", node.repeated());
        json.writeArrayFieldStart("dependencies");
    }
}
