package org.dragonflymle.ml.model;

/**
 * One node of a decision tree as {@code ML.FOREST.ADD} defines it: a numeric or categoric split on
 * an attribute, or a leaf with a value. Attribute names and categories are byte strings compared
 * exactly (case matters). Do not change the arrays.
 */
public sealed interface TreeNode {

    /** {@code NUMERIC attr threshold}: a value {@code <= threshold} goes left. */
    record Numeric(byte[] attribute, double threshold) implements TreeNode {}

    /** {@code CATEGORIC attr v1:v2:...}: a value equal to any category goes left. */
    record Categoric(byte[] attribute, byte[][] categories) implements TreeNode {}

    /** {@code LEAF value [STATS stats]}: the tree's answer; {@code stats} is kept, not used. */
    record Leaf(double value, byte[] stats) implements TreeNode {}

    /** Whether this node has two children. */
    default boolean isSplit() {
        return !(this instanceof Leaf);
    }
}
