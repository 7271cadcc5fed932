package org.dragonflymle.ml.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.ml.model.DecisionTree;
import org.dragonflymle.ml.model.KMeansModel;
import org.dragonflymle.ml.model.LinearModel;
import org.dragonflymle.ml.model.Matrix;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.DecimalParser;

/**
 * Storage format 1 of a model's content: the hash fields besides {@code format}, {@code type} and
 * {@code version} (see {@link ModelStore}). Every value is the argument list of the command that
 * would set it again, space-separated:
 *
 * <table>
 *   <caption>fields by type</caption>
 *   <tr><th>type</th><th>field</th><th>value</th></tr>
 *   <tr><td>regression</td><td>{@code model}</td><td>{@code intercept coef1 ... coefN}</td></tr>
 *   <tr><td>kmeans</td><td>{@code model}</td><td>{@code k dimensions c11 ... ckd}</td></tr>
 *   <tr><td>matrix</td><td>{@code model}</td><td>{@code rows cols e11 ... eNM}</td></tr>
 *   <tr><td>forest</td><td>{@code trees}</td><td>the number of trees N</td></tr>
 *   <tr><td>forest</td><td>{@code tree:0} … {@code tree:N-1}</td><td>the tree's node list in
 *       {@code ML.FOREST.ADD} syntax, preorder: {@code . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0}</td></tr>
 * </table>
 *
 * Numbers are written so they read back as the same double: integers below 1e15 as integers, others
 * as Java's shortest round-trip form ({@code 0.1}, {@code 1.0E-5}, {@code NaN}, {@code Infinity}).
 * In tree words, the bytes {@code %}, space and other control or blank bytes are written {@code
 * %XX} (hex), so attribute names and categories may hold any byte. Stateless.
 */
public final class ModelCodec {

    public static final String MODEL = "model";
    public static final String TREES = "trees";
    static final String TREE_PREFIX = "tree:";

    private ModelCodec() {}

    /** The canonical text of a number (see the class comment). */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return v == 0 && 1 / v < 0 ? "-0" : Long.toString((long) v);
        }
        return Double.toString(v);
    }

    public static String treeField(int tree) {
        return TREE_PREFIX + tree;
    }

    // ---- regression, k-means, matrix: one field "model" ----

    public static Map<String, byte[]> encode(LinearModel m) {
        double[] c = m.coefficients();
        double[] all = new double[c.length + 1];
        all[0] = m.intercept();
        System.arraycopy(c, 0, all, 1, c.length);
        return modelField(numbers(all));
    }

    static LinearModel decodeRegression(Map<String, byte[]> fields) {
        double[] v = numbers(field(fields, MODEL));
        if (v.length < 2) {
            throw new IllegalArgumentException("needs an intercept and a coefficient");
        }
        double[] coefficients = new double[v.length - 1];
        System.arraycopy(v, 1, coefficients, 0, coefficients.length);
        return new LinearModel(v[0], coefficients);
    }

    public static Map<String, byte[]> encode(KMeansModel m) {
        return modelField(numbers(prefixed(m.k(), m.dimensions(), m.centers())));
    }

    static KMeansModel decodeKMeans(Map<String, byte[]> fields) {
        double[] v = numbers(field(fields, MODEL));
        if (v.length < 3) {
            throw new IllegalArgumentException("needs k, dimensions and centres");
        }
        return new KMeansModel((int) v[0], (int) v[1], tail(v));
    }

    public static Map<String, byte[]> encode(Matrix m) {
        return modelField(numbers(prefixed(m.rows(), m.cols(), m.values())));
    }

    public static Matrix decodeMatrix(Map<String, byte[]> fields) {
        double[] v = numbers(field(fields, MODEL));
        if (v.length < 3) {
            throw new IllegalArgumentException("needs rows, cols and entries");
        }
        return new Matrix((int) v[0], (int) v[1], tail(v));
    }

    // ---- forest: "trees" and one "tree:I" per tree ----

    /** The stored words of one tree. */
    public static byte[] encodeTree(DecisionTree tree) {
        return joinWords(TreeSyntax.write(tree));
    }

    public static DecisionTree decodeTree(byte[] stored) {
        DecisionTree tree = new DecisionTree();
        for (DecisionTree.PathNode n : TreeSyntax.parse(splitWords(stored), 0)) {
            tree.put(n.path(), n.node());
        }
        return tree;
    }

    /** The number of trees a forest hash says it has (0 when the field is absent). */
    public static int treeCount(Map<String, byte[]> fields) {
        byte[] b = fields.get(TREES);
        if (b == null) {
            return 0;
        }
        double n = DecimalParser.parseOrNaN(b, 0, b.length);
        if (!(n >= 0 && n == Math.rint(n) && n <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("field trees is not a count");
        }
        return (int) n;
    }

    static List<DecisionTree> decodeForest(Map<String, byte[]> fields) {
        int n = treeCount(fields);
        List<DecisionTree> trees = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            trees.add(decodeTree(field(fields, treeField(t))));
        }
        return trees;
    }

    // ---- words ----

    static byte[] joinWords(List<byte[]> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int w = 0; w < words.size(); w++) {
            if (w > 0) {
                out.write(' ');
            }
            for (byte b : words.get(w)) {
                if (b == '%' || (b >= 0 && b <= ' ') || b == 0x7f) {
                    out.write('%');
                    out.write(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
                    out.write(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                } else {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    static List<byte[]> splitWords(byte[] stored) {
        List<byte[]> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        for (int i = 0; i <= stored.length; i++) {
            if (i == stored.length || stored[i] == ' ') {
                if (i > 0 || stored.length > 0) {
                    words.add(word.toByteArray());
                }
                word.reset();
            } else if (stored[i] == '%') {
                if (i + 2 >= stored.length) {
                    throw new IllegalArgumentException("truncated %XX escape");
                }
                int hi = Character.digit(stored[i + 1], 16);
                int lo = Character.digit(stored[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad %XX escape");
                }
                word.write(hi << 4 | lo);
                i += 2;
            } else {
                word.write(stored[i]);
            }
        }
        return words;
    }

    private static Map<String, byte[]> modelField(byte[] value) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put(MODEL, value);
        return fields;
    }

    private static byte[] field(Map<String, byte[]> fields, String name) {
        byte[] b = fields.get(name);
        if (b == null) {
            throw new IllegalArgumentException("field " + name + " is missing");
        }
        return b;
    }

    private static double[] prefixed(int a, int b, double[] rest) {
        double[] all = new double[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    private static double[] tail(double[] v) {
        double[] rest = new double[v.length - 2];
        System.arraycopy(v, 2, rest, 0, rest.length);
        return rest;
    }

    private static byte[] numbers(double[] values) {
        StringBuilder sb = new StringBuilder(values.length * 8);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(number(values[i]));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static double[] numbers(byte[] text) {
        List<byte[]> words = splitWords(text);
        double[] v = new double[words.size()];
        for (int i = 0; i < v.length; i++) {
            byte[] w = words.get(i);
            v[i] = DecimalParser.parseOrNaN(w, 0, w.length);
            if (v[i] != v[i] && !DecimalParser.isNumber(w)) {
                throw new IllegalArgumentException(
                        "word " + (i + 1) + " '" + CommandArgs.printable(w) + "' is not a number");
            }
        }
        return v;
    }
}
