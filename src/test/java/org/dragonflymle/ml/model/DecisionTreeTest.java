package org.dragonflymle.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dragonflymle.ml.store.ModelCodec;
import org.dragonflymle.ml.store.TreeSyntax;
import org.junit.jupiter.api.Test;

/** Building trees by path, the node syntax of ML.FOREST.ADD, and how trees are stored. */
class DecisionTreeTest {

    private static String stored(DecisionTree t) {
        return new String(ModelCodec.encodeTree(t), StandardCharsets.UTF_8);
    }

    @Test
    void nodesArePlacedByPathAndStoredInPreorder() {
        DecisionTree t =
                ForestTest.tree(
                        ". NUMERIC 1 0.1 .r LEAF 0 .l CATEGORIC c a:b .ll LEAF 1 .lr LEAF 2");
        assertThat(t.missingPath()).isNull();
        assertThat(t.size()).isEqualTo(5);
        assertThat(stored(t))
                .isEqualTo(". NUMERIC 1 0.1 .l CATEGORIC c a:b .ll LEAF 1 .lr LEAF 2 .r LEAF 0");
    }

    @Test
    void aStoredTreeReadsBackAsTheSameTree() {
        DecisionTree t =
                ForestTest.tree(
                        ". NUMERIC x 1e-5 .l LEAF 0.1 STATS 3:7 .r NUMERIC y -2 .rl LEAF 7 .rr"
                                + " LEAF -0.25 raw-stats");
        String once = stored(t);
        assertThat(once)
                .isEqualTo(
                        ". NUMERIC x 1.0E-5 .l LEAF 0.1 STATS 3:7 .r NUMERIC y -2 .rl LEAF 7"
                                + " .rr LEAF -0.25 STATS raw-stats");
        assertThat(stored(ModelCodec.decodeTree(ModelCodec.encodeTree(t)))).isEqualTo(once);
    }

    @Test
    void anyByteInNamesSurvivesStorage() {
        DecisionTree t = new DecisionTree();
        byte[] attribute = "a b%c\td".getBytes(StandardCharsets.UTF_8);
        t.put(
                ".",
                new TreeNode.Categoric(
                        attribute,
                        new byte[][] {
                            "x y".getBytes(StandardCharsets.UTF_8),
                            "é".getBytes(StandardCharsets.UTF_8)
                        }));
        t.put(".l", new TreeNode.Leaf(1, null));
        t.put(".r", new TreeNode.Leaf(2, null));
        byte[] encoded = ModelCodec.encodeTree(t);
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .isEqualTo(". CATEGORIC a%20b%25c%09d x%20y:é .l LEAF 1 .r LEAF 2");
        TreeNode.Categoric root =
                (TreeNode.Categoric) ModelCodec.decodeTree(encoded).nodes().get(0).node();
        assertThat(root.attribute()).isEqualTo(attribute);
        assertThat(root.categories()[0]).isEqualTo("x y".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keywordsAndPathsInAnyCase() {
        DecisionTree t = ForestTest.tree(". numeric 1 0.1 .L leaf 1 .R Leaf 0 stats 1:2");
        assertThat(stored(t)).isEqualTo(". NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0 STATS 1:2");
    }

    @Test
    void replacingASplitKeepsItsChildrenAndALeafDropsThem() {
        DecisionTree t = ForestTest.tree(". NUMERIC x 1 .l LEAF 1 .r LEAF 2");
        t.put(".", new TreeNode.Numeric("x".getBytes(StandardCharsets.UTF_8), 5));
        assertThat(stored(t)).isEqualTo(". NUMERIC x 5 .l LEAF 1 .r LEAF 2");
        t.put(".", new TreeNode.Leaf(9, null));
        assertThat(stored(t)).isEqualTo(". LEAF 9");
        t.put(".", new TreeNode.Numeric("x".getBytes(StandardCharsets.UTF_8), 5));
        assertThat(t.missingPath()).isEqualTo(".l");
    }

    @Test
    void aNodeNeedsASplitAboveIt() {
        DecisionTree t = new DecisionTree();
        assertThatThrownBy(() -> t.put(".l", new TreeNode.Leaf(1, null)))
                .hasMessage("path '.l' needs the root '.' to be added first");
        t.put(".", new TreeNode.Numeric(new byte[] {'x'}, 1));
        assertThatThrownBy(() -> t.put(".lr", new TreeNode.Leaf(1, null)))
                .hasMessage("path '.lr' needs '.l' to be added first");
        t.put(".l", new TreeNode.Leaf(1, null));
        assertThatThrownBy(() -> t.put(".lr", new TreeNode.Leaf(1, null)))
                .hasMessage("path '.lr' is below the leaf at '.l'; only a split has children");
    }

    @Test
    void incompleteTreesNameTheFirstMissingPath() {
        assertThat(new DecisionTree().missingPath()).isEqualTo(".");
        assertThat(ForestTest.tree(". NUMERIC x 1 .r LEAF 1").missingPath()).isEqualTo(".l");
        assertThat(
                        ForestTest.tree(". NUMERIC x 1 .l NUMERIC y 2 .ll LEAF 1 .r LEAF 1")
                                .missingPath())
                .isEqualTo(".lr");
    }

    @Test
    void syntaxErrorsNameTheWord() {
        assertThatThrownBy(() -> ForestTest.tree("x NUMERIC a 1"))
                .hasMessage("path 'x' must start with '.' (the root), then l/r per step");
        assertThatThrownBy(() -> ForestTest.tree(".lx LEAF 1"))
                .hasMessage("path '.lx' has 'x' at step 2; steps are l or r");
        assertThatThrownBy(() -> ForestTest.tree(". SPLIT a 1"))
                .hasMessage("node type 'SPLIT' at path '.' is not NUMERIC, CATEGORIC or LEAF");
        assertThatThrownBy(() -> ForestTest.tree(". NUMERIC a"))
                .hasMessage("node at path '.' is incomplete: expected NUMERIC attr threshold");
        assertThatThrownBy(() -> ForestTest.tree(". NUMERIC a b"))
                .hasMessage("threshold 'b' at path '.' is not a number");
        assertThatThrownBy(() -> ForestTest.tree(". LEAF one"))
                .hasMessage("leaf value 'one' at path '.' is not a number");
        assertThatThrownBy(() -> ForestTest.tree("."))
                .hasMessage("path '.' has no node after it (NUMERIC, CATEGORIC or LEAF)");
        assertThatThrownBy(() -> TreeSyntax.parse(List.of(), 0)).hasMessageContaining("no nodes");
    }
}
