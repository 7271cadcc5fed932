package org.dragonflymle.ml.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dragonflymle.ml.model.DecisionTree;
import org.dragonflymle.ml.model.TreeNode;
import org.dragonflymle.ml.protocol.Ascii;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.DecimalParser;

/**
 * The node list of {@code ML.FOREST.ADD}, read from a command's arguments and written back for
 * storage (a stored tree is the node list that would rebuild it):
 *
 * <pre>
 * path NODE [path NODE ...]
 * NODE = NUMERIC attr threshold | CATEGORIC attr v1[:v2...] | LEAF value [[STATS] stats]
 * </pre>
 *
 * Keywords are accepted in any case; paths are {@code .} then {@code l}/{@code r} (any case). A
 * leaf's optional stats are the word after {@code STATS}, or the word after the value when that
 * word does not start with {@code .} (which would be the next path). Written trees always use
 * {@code STATS}. Stateless.
 */
public final class TreeSyntax {

    private static final byte[] NUMERIC = ascii("NUMERIC");
    private static final byte[] CATEGORIC = ascii("CATEGORIC");
    private static final byte[] LEAF = ascii("LEAF");
    private static final byte[] STATS = ascii("STATS");

    private TreeSyntax() {}

    /**
     * Reads {@code tokens[from..]} as a node list.
     *
     * @throws IllegalArgumentException naming the word and the problem
     */
    public static List<DecisionTree.PathNode> parse(List<byte[]> tokens, int from) {
        List<DecisionTree.PathNode> nodes = new ArrayList<>();
        int i = from;
        if (i >= tokens.size()) {
            throw new IllegalArgumentException("no nodes: expected path NODE [path NODE ...]");
        }
        while (i < tokens.size()) {
            String path = lowerCase(tokens.get(i));
            DecisionTree.checkPath(path);
            if (i + 1 >= tokens.size()) {
                throw new IllegalArgumentException(
                        "path '" + path + "' has no node after it (NUMERIC, CATEGORIC or LEAF)");
            }
            byte[] kind = tokens.get(i + 1);
            i += 2;
            if (Ascii.equalsIgnoreCase(kind, NUMERIC)) {
                need(tokens, i, 2, path, "NUMERIC attr threshold");
                double threshold = number(tokens.get(i + 1), path, "threshold");
                nodes.add(
                        new DecisionTree.PathNode(
                                path, new TreeNode.Numeric(tokens.get(i).clone(), threshold)));
                i += 2;
            } else if (Ascii.equalsIgnoreCase(kind, CATEGORIC)) {
                need(tokens, i, 2, path, "CATEGORIC attr v1[:v2...]");
                nodes.add(
                        new DecisionTree.PathNode(
                                path,
                                new TreeNode.Categoric(
                                        tokens.get(i).clone(),
                                        split(tokens.get(i + 1), (byte) ':'))));
                i += 2;
            } else if (Ascii.equalsIgnoreCase(kind, LEAF)) {
                need(tokens, i, 1, path, "LEAF value [[STATS] stats]");
                double value = number(tokens.get(i), path, "leaf value");
                i++;
                byte[] stats = null;
                if (i < tokens.size() && Ascii.equalsIgnoreCase(tokens.get(i), STATS)) {
                    need(tokens, i + 1, 1, path, "LEAF value STATS stats");
                    stats = tokens.get(i + 1).clone();
                    i += 2;
                } else if (i < tokens.size() && !startsWithDot(tokens.get(i))) {
                    stats = tokens.get(i).clone();
                    i++;
                }
                nodes.add(new DecisionTree.PathNode(path, new TreeNode.Leaf(value, stats)));
            } else {
                throw new IllegalArgumentException(
                        "node type '"
                                + CommandArgs.printable(kind)
                                + "' at path '"
                                + path
                                + "' is not NUMERIC, CATEGORIC or LEAF");
            }
        }
        return nodes;
    }

    /** The node list that rebuilds {@code tree}, in preorder. */
    static List<byte[]> write(DecisionTree tree) {
        List<byte[]> out = new ArrayList<>();
        for (DecisionTree.PathNode n : tree.nodes()) {
            out.add(ascii(n.path()));
            if (n.node() instanceof TreeNode.Numeric numeric) {
                out.add(NUMERIC);
                out.add(numeric.attribute());
                out.add(ascii(ModelCodec.number(numeric.threshold())));
            } else if (n.node() instanceof TreeNode.Categoric categoric) {
                out.add(CATEGORIC);
                out.add(categoric.attribute());
                out.add(join(categoric.categories(), (byte) ':'));
            } else {
                TreeNode.Leaf leaf = (TreeNode.Leaf) n.node();
                out.add(LEAF);
                out.add(ascii(ModelCodec.number(leaf.value())));
                if (leaf.stats() != null) {
                    out.add(STATS);
                    out.add(leaf.stats());
                }
            }
        }
        return out;
    }

    private static void need(List<byte[]> tokens, int i, int n, String path, String syntax) {
        if (i + n > tokens.size()) {
            throw new IllegalArgumentException(
                    "node at path '" + path + "' is incomplete: expected " + syntax);
        }
    }

    private static double number(byte[] b, String path, String what) {
        double v = DecimalParser.parseOrNaN(b, 0, b.length);
        if (v != v && !DecimalParser.isNumber(b)) {
            throw new IllegalArgumentException(
                    what
                            + " '"
                            + CommandArgs.printable(b)
                            + "' at path '"
                            + path
                            + "' is not a number");
        }
        return v;
    }

    static byte[][] split(byte[] b, byte separator) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == separator) {
                parts.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        return parts.toArray(new byte[0][]);
    }

    private static byte[] join(byte[][] parts, byte separator) {
        int length = Math.max(0, parts.length - 1);
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[n++] = separator;
            }
            System.arraycopy(parts[i], 0, out, n, parts[i].length);
            n += parts[i].length;
        }
        return out;
    }

    private static boolean startsWithDot(byte[] b) {
        return b.length > 0 && b[0] == '.';
    }

    private static String lowerCase(byte[] b) {
        byte[] copy = b.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] >= 'A' && copy[i] <= 'Z') {
                copy[i] += 32;
            }
        }
        return new String(copy, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
