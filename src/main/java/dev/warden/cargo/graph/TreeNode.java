package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.DependencyKind;

import java.util.List;

/**
 * One line of a rendered dependency tree.
 *
 * @param kind     the section this line sits in under its parent (null for the top of a tree, or an edge of unknown
 *                 kind)
 * @param repeated the package was already expanded earlier in the output, so its children are not repeated
 */
public record TreeNode(DependencyGraph.Node node, DependencyKind kind, boolean kindKnown, boolean repeated,
                       List<TreeNode> children) {

    public TreeNode {
        children = List.copyOf(children);
    }
}
