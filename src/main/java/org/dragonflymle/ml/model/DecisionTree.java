package org.dragonflymle.ml.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One tree of a forest while it is being built by {@code ML.FOREST.ADD}: nodes are placed by path
 * ({@code .} is the root, then {@code l}/{@code r} per step, so {@code .lr} is the right child of
 * the root's left child).
 *
 * <p>Placing a node on a path that holds one replaces it: a split that replaces a split keeps the
 * children, anything else drops the old subtree. A node's parent must already be a split (earlier
 * in the same command or stored before). A tree is {@link #missingPath() complete} when every split
 * has both children; only complete trees are stored. Paths are at most {@value #MAX_DEPTH} steps
 * deep. Mutable, not thread-safe; {@link #copy()} before changing a tree others hold.
 */
public final class DecisionTree {

    /** Deepest path accepted (steps below the root). */
    static final int MAX_DEPTH = 512;

    private Node root;

    /** One placed node: a path and its definition, in the order {@link #nodes()} gives them. */
    public record PathNode(String path, TreeNode node) {}

    private static final class Node {
        TreeNode definition;
        Node left;
        Node right;

        Node(TreeNode definition) {
            this.definition = definition;
        }
    }

    /** A deep copy. */
    DecisionTree copy() {
        DecisionTree copy = new DecisionTree();
        for (PathNode n : nodes()) {
            copy.put(n.path(), n.node());
        }
        return copy;
    }

    /** Number of nodes (counted). */
    int size() {
        return root == null ? 0 : count(root);
    }

    /**
     * Places {@code node} at {@code path} (see the class comment).
     *
     * @throws IllegalArgumentException naming the path when it is malformed or has no split above
     *     it
     */
    public void put(String path, TreeNode node) {
        checkPath(path);
        if (path.length() == 1) {
            root = replace(root, node);
            return;
        }
        if (root == null) {
            throw new IllegalArgumentException(
                    "path '" + path + "' needs the root '.' to be added first");
        }
        Node parent = root;
        for (int i = 1; i < path.length() - 1; i++) {
            if (!parent.definition.isSplit()) {
                throw noSplitAbove(path, i);
            }
            parent = path.charAt(i) == 'l' ? parent.left : parent.right;
            if (parent == null) {
                throw new IllegalArgumentException(
                        "path '"
                                + path
                                + "' needs '"
                                + path.substring(0, i + 1)
                                + "' to be added first");
            }
        }
        if (!parent.definition.isSplit()) {
            throw noSplitAbove(path, path.length() - 1);
        }
        if (path.charAt(path.length() - 1) == 'l') {
            parent.left = replace(parent.left, node);
        } else {
            parent.right = replace(parent.right, node);
        }
    }

    /** The path of the first missing node (preorder), or null when the tree is complete. */
    public String missingPath() {
        if (root == null) {
            return ".";
        }
        StringBuilder path = new StringBuilder(".");
        return missing(root, path);
    }

    /** Every node with its path, in preorder (a node, its left subtree, its right subtree). */
    public List<PathNode> nodes() {
        List<PathNode> out = new ArrayList<>();
        if (root != null) {
            collect(root, new StringBuilder("."), out);
        }
        return out;
    }

    /**
     * Checks that {@code path} is {@code .} followed by {@code l}/{@code r} steps.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkPath(String path) {
        if (path.isEmpty() || path.charAt(0) != '.') {
            throw new IllegalArgumentException(
                    "path '" + path + "' must start with '.' (the root), then l/r per step");
        }
        if (path.length() - 1 > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "path of " + (path.length() - 1) + " steps is deeper than " + MAX_DEPTH);
        }
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != 'l' && c != 'r') {
                throw new IllegalArgumentException(
                        "path '" + path + "' has '" + c + "' at step " + i + "; steps are l or r");
            }
        }
    }

    private static IllegalArgumentException noSplitAbove(String path, int depth) {
        return new IllegalArgumentException(
                "path '"
                        + path
                        + "' is below the leaf at '"
                        + path.substring(0, depth)
                        + "'; only a split has children");
    }

    private static Node replace(Node old, TreeNode node) {
        if (old != null && old.definition.isSplit() && node.isSplit()) {
            old.definition = node;
            return old;
        }
        return new Node(node);
    }

    private static int count(Node n) {
        int c = 1;
        if (n.left != null) {
            c += count(n.left);
        }
        if (n.right != null) {
            c += count(n.right);
        }
        return c;
    }

    private static String missing(Node n, StringBuilder path) {
        if (!n.definition.isSplit()) {
            return null;
        }
        for (char step : new char[] {'l', 'r'}) {
            Node child = step == 'l' ? n.left : n.right;
            path.append(step);
            String m = child == null ? path.toString() : missing(child, path);
            if (m != null) {
                return m;
            }
            path.setLength(path.length() - 1);
        }
        return null;
    }

    private static void collect(Node n, StringBuilder path, List<PathNode> out) {
        out.add(new PathNode(path.toString(), n.definition));
        if (n.left != null) {
            path.append('l');
            collect(n.left, path, out);
            path.setLength(path.length() - 1);
        }
        if (n.right != null) {
            path.append('r');
            collect(n.right, path, out);
            path.setLength(path.length() - 1);
        }
    }
}
