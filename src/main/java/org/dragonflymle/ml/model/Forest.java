package org.dragonflymle.ml.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.DecimalParser;

/**
 * A forest compiled for scoring: every node of every tree in flat arrays (preorder, so a split's
 * left child is the next node and only the right child's index is stored), attributes numbered,
 * leaf values numbered as classes. {@link #run} parses the sample and walks the trees without
 * allocating.
 *
 * <p>What a run promises, as docs/model-scoring.md states it:
 *
 * <ul>
 *   <li>the sample is {@code attr:value} pairs separated by commas; white space around names and
 *       values is ignored, a pair without {@code :} is an error, attributes no tree uses are
 *       ignored, and when an attribute is given twice the last value counts;
 *   <li>a numeric split sends a value {@code <= threshold} left, anything else (NaN too) right; a
 *       value that is not a number is an error when a numeric split reads it;
 *   <li>a categoric split sends a value equal (byte for byte) to any of its categories left;
 *   <li>an attribute missing from the sample is 0: the number 0 for numeric splits, the text {@code
 *       0} for categoric ones;
 *   <li>regression answers the mean of the trees' leaf values (summed in tree order);
 *       classification the leaf value most trees reach, and on a tie the smallest of the tied
 *       values.
 * </ul>
 *
 * Immutable once compiled, but {@link #run} uses per-forest scratch arrays: one thread at a time.
 */
public final class Forest {

    private static final byte LEAF = 0;
    private static final byte NUMERIC = 1;
    private static final byte CATEGORIC = 2;
    private static final byte[] ZERO = {'0'};

    private static final int KIND_MASK = 3;
    private static final int LANES = 8;
    private static final int INDEX_MASK = (1 << 30) - 1;

    private final int trees;
    private final int[] roots;

    /**
     * Two longs per node, so one cache line holds a node's every field and the next (left) node:
     * {@code [2i]} the threshold or leaf value (raw double bits), {@code [2i+1]} the kind (bits
     * 0-1), the attribute (split) or class (leaf) index (bits 2-31) and the right child's index
     * (bits 32-63).
     */
    private final long[] nodes;

    private final int[] categorySetOf; // per node, for categoric splits only
    private final byte[][][] categorySets;
    private final double[] classes;
    private final AttributeTable attributes;

    // Scratch for one run.
    private final double[] numbers;
    private final boolean[] notNumber;
    private final byte[][] texts;
    private final int[] textStart;
    private final int[] textLength;
    private final int[] votes;
    private final int[] reached;

    private Forest(Builder b) {
        this.trees = b.roots.size();
        this.roots = b.roots.stream().mapToInt(Integer::intValue).toArray();
        int n = b.size;
        this.categorySets = b.categorySets.toArray(new byte[0][][]);
        this.categorySetOf = Arrays.copyOf(b.extra, n);
        this.attributes =
                new AttributeTable(
                        b.attributeIds.keySet().stream()
                                .map(AttributeKey::bytes)
                                .toArray(byte[][]::new));
        this.classes = b.leafValues.stream().mapToDouble(Double::doubleValue).toArray();
        this.nodes = new long[2 * n];
        for (int i = 0; i < n; i++) {
            int index =
                    b.kind[i] == LEAF ? Arrays.binarySearch(classes, b.value[i]) : b.attribute[i];
            if (index > INDEX_MASK) {
                throw new IllegalArgumentException("more than 2^30 attributes or leaf values");
            }
            nodes[2 * i] = Double.doubleToRawLongBits(b.value[i]);
            nodes[2 * i + 1] = ((long) b.right[i] << 32) | ((long) index << 2) | b.kind[i];
        }
        int a = attributes.size();
        this.numbers = new double[a];
        this.notNumber = new boolean[a];
        this.texts = new byte[a][];
        this.textStart = new int[a];
        this.textLength = new int[a];
        this.votes = new int[classes.length];
        this.reached = new int[trees];
    }

    /**
     * Compiles complete trees.
     *
     * @throws IllegalArgumentException when there is no tree or a tree is incomplete
     */
    public static Forest compile(List<DecisionTree> trees) {
        if (trees.isEmpty()) {
            throw new IllegalArgumentException("the forest has no trees");
        }
        Builder b = new Builder();
        for (int t = 0; t < trees.size(); t++) {
            DecisionTree tree = trees.get(t);
            String missing = tree.missingPath();
            if (missing != null) {
                throw new IllegalArgumentException(
                        "tree " + t + " is incomplete: no node at path '" + missing + "'");
            }
            b.addTree(tree.nodes());
        }
        return new Forest(b);
    }

    int trees() {
        return trees;
    }

    /** Total number of nodes. */
    int nodes() {
        return nodes.length / 2;
    }

    /**
     * Scores one sample.
     *
     * @param sample {@code attr:value,attr:value...}
     * @param classification majority vote when true, mean when false
     * @throws IllegalArgumentException naming the pair or attribute when the sample is malformed
     */
    public double run(byte[] sample, boolean classification) {
        load(sample);
        walk();
        if (classification) {
            Arrays.fill(votes, 0);
            for (int t = 0; t < trees; t++) {
                votes[(int) (nodes[2 * reached[t] + 1] >>> 2) & INDEX_MASK]++;
            }
            int best = 0;
            for (int c = 1; c < votes.length; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            return classes[best];
        }
        double sum = 0;
        for (int t = 0; t < trees; t++) {
            sum += Double.longBitsToDouble(nodes[2 * reached[t]]);
        }
        return sum / trees;
    }

    /**
     * Finds the leaf every tree reaches for the loaded sample ({@code reached[t]}). Trees are
     * walked {@value #LANES} at a time, one level per round: the next nodes of different trees do
     * not depend on each other, so their cache misses overlap instead of queueing.
     */
    private void walk() {
        long[] n = nodes;
        int[] at = reached;
        System.arraycopy(roots, 0, at, 0, trees);
        for (int base = 0; base < trees; base += LANES) {
            int end = Math.min(base + LANES, trees);
            boolean moved = true;
            while (moved) {
                moved = false;
                for (int t = base; t < end; t++) {
                    int i = at[t];
                    long meta = n[2 * i + 1];
                    int k = (int) meta & KIND_MASK;
                    if (k == LEAF) {
                        continue;
                    }
                    moved = true;
                    int a = (int) (meta >>> 2) & INDEX_MASK;
                    boolean left;
                    if (k == NUMERIC) {
                        double x = numbers[a];
                        if (x != x && notNumber[a]) {
                            throw notANumber(a, t);
                        }
                        left = x <= Double.longBitsToDouble(n[2 * i]);
                    } else {
                        left = matches(a, categorySets[categorySetOf[i]]);
                    }
                    // Branch-free: left is the next node, right is meta's index; the outcome is a
                    // coin toss, which a branch would mispredict half the time.
                    int skip = (int) (meta >>> 32) - i - 1;
                    at[t] = i + 1 + (skip & ((left ? 1 : 0) - 1));
                }
            }
        }
    }

    private IllegalArgumentException notANumber(int a, int tree) {
        return new IllegalArgumentException(
                "attribute '"
                        + CommandArgs.printable(attributes.name(a))
                        + "' has value '"
                        + new String(texts[a], textStart[a], textLength[a], StandardCharsets.UTF_8)
                        + "', not a number, and tree "
                        + tree
                        + " splits on it numerically");
    }

    private boolean matches(int a, byte[][] categories) {
        byte[] t = texts[a];
        int start = textStart[a];
        int end = start + textLength[a];
        for (byte[] c : categories) {
            if (Arrays.equals(c, 0, c.length, t, start, end)) {
                return true;
            }
        }
        return false;
    }

    /** Parses the sample into the scratch arrays; missing attributes are 0. */
    private void load(byte[] s) {
        Arrays.fill(numbers, 0.0);
        Arrays.fill(notNumber, false);
        Arrays.fill(texts, ZERO);
        Arrays.fill(textStart, 0);
        Arrays.fill(textLength, 1);
        int pair = 0;
        int i = 0;
        while (i <= s.length) {
            int end = i;
            while (end < s.length && s[end] != ',') {
                end++;
            }
            pair++;
            int colon = i;
            while (colon < end && s[colon] != ':') {
                colon++;
            }
            int nameStart = skipSpace(s, i, colon);
            int nameEnd = trimSpace(s, nameStart, colon);
            if (colon == end) {
                if (nameStart != nameEnd) {
                    throw new IllegalArgumentException(
                            "sample pair "
                                    + pair
                                    + " '"
                                    + new String(
                                            s, i, end - i, java.nio.charset.StandardCharsets.UTF_8)
                                    + "' is not attr:value");
                }
            } else {
                int a = attributes.find(s, nameStart, nameEnd - nameStart);
                if (a >= 0) {
                    int valueStart = skipSpace(s, colon + 1, end);
                    int valueEnd = trimSpace(s, valueStart, end);
                    int length = valueEnd - valueStart;
                    double x = DecimalParser.parseOrNaN(s, valueStart, length);
                    numbers[a] = x;
                    notNumber[a] = x != x && !DecimalParser.isNumber(s, valueStart, length);
                    texts[a] = s;
                    textStart[a] = valueStart;
                    textLength[a] = length;
                }
            }
            i = end + 1;
        }
    }

    private static int skipSpace(byte[] s, int from, int to) {
        while (from < to && (s[from] == ' ' || s[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(byte[] s, int from, int to) {
        while (to > from && (s[to - 1] == ' ' || s[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** An attribute name as a map key. */
    private record AttributeKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof AttributeKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** Accumulates the flat arrays, tree by tree. */
    private static final class Builder {
        final List<Integer> roots = new ArrayList<>();
        final Map<AttributeKey, Integer> attributeIds = new LinkedHashMap<>();
        final List<byte[][]> categorySets = new ArrayList<>();
        final TreeSet<Double> leafValues = new TreeSet<>(Double::compare);
        byte[] kind = new byte[64];
        int[] attribute = new int[64];
        double[] value = new double[64];
        int[] right = new int[64];
        int[] extra = new int[64];
        int size;

        void addTree(List<DecisionTree.PathNode> preorder) {
            roots.add(size);
            int base = size;
            // Index of each node by path, to link right children.
            Map<String, Integer> index = new HashMap<>();
            for (DecisionTree.PathNode n : preorder) {
                index.put(n.path(), size);
                add(n.node());
            }
            for (DecisionTree.PathNode n : preorder) {
                if (n.node().isSplit()) {
                    int i = index.get(n.path());
                    right[i] = index.get(n.path() + "r");
                }
            }
            if (size == base) {
                throw new IllegalArgumentException("empty tree");
            }
        }

        private void add(TreeNode node) {
            if (size == kind.length) {
                int grown = size * 2;
                kind = Arrays.copyOf(kind, grown);
                attribute = Arrays.copyOf(attribute, grown);
                value = Arrays.copyOf(value, grown);
                right = Arrays.copyOf(right, grown);
                extra = Arrays.copyOf(extra, grown);
            }
            int i = size++;
            if (node instanceof TreeNode.Numeric numeric) {
                kind[i] = NUMERIC;
                attribute[i] = attributeId(numeric.attribute());
                value[i] = numeric.threshold();
            } else if (node instanceof TreeNode.Categoric categoric) {
                kind[i] = CATEGORIC;
                attribute[i] = attributeId(categoric.attribute());
                extra[i] = categorySets.size();
                categorySets.add(categoric.categories());
            } else {
                TreeNode.Leaf leaf = (TreeNode.Leaf) node;
                kind[i] = LEAF;
                attribute[i] = -1;
                value[i] = leaf.value();
                leafValues.add(leaf.value());
            }
        }

        private int attributeId(byte[] name) {
            return attributeIds.computeIfAbsent(new AttributeKey(name), k -> attributeIds.size());
        }
    }
}
