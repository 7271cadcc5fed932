package org.dragonflymle.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dragonflymle.ml.store.TreeSyntax;
import org.junit.jupiter.api.Test;

/** How a compiled forest scores a sample: the rules of ML.FOREST.RUN in docs/model-scoring.md. */
class ForestTest {

    /** A forest from trees written in ML.FOREST.ADD syntax. */
    static Forest forest(String... trees) {
        List<DecisionTree> built = new ArrayList<>();
        for (String t : trees) {
            built.add(tree(t));
        }
        return Forest.compile(built);
    }

    static DecisionTree tree(String nodes) {
        DecisionTree tree = new DecisionTree();
        for (DecisionTree.PathNode n : TreeSyntax.parse(words(nodes), 0)) {
            tree.put(n.path(), n.node());
        }
        return tree;
    }

    static List<byte[]> words(String s) {
        return Arrays.stream(s.trim().split("\\s+"))
                .map(w -> w.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    private static double classify(Forest f, String sample) {
        return f.run(sample.getBytes(StandardCharsets.UTF_8), true);
    }

    private static double regress(Forest f, String sample) {
        return f.run(sample.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void theContractsCheckValues() {
        Forest f =
                forest(
                        ". NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0",
                        ". NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0",
                        ". NUMERIC 1 0.1 .l LEAF 0 .r LEAF 1");
        assertThat(classify(f, "1:0.01")).isEqualTo(1.0);
        assertThat(classify(f, "1:0.2")).isEqualTo(0.0);
    }

    @Test
    void aNumericValueAtOrBelowTheThresholdGoesLeft() {
        Forest f = forest(". NUMERIC x 0.5 .l LEAF 10 .r LEAF 20");
        assertThat(regress(f, "x:0.5")).isEqualTo(10.0);
        assertThat(regress(f, "x:0.4999")).isEqualTo(10.0);
        assertThat(regress(f, "x:-1e300")).isEqualTo(10.0);
        assertThat(regress(f, "x:0.50001")).isEqualTo(20.0);
        assertThat(regress(f, "x:inf")).isEqualTo(20.0);
        assertThat(regress(f, "x:nan")).as("NaN is not <= anything").isEqualTo(20.0);
    }

    @Test
    void aCategoricValueEqualToAnyListedCategoryGoesLeft() {
        Forest f = forest(". CATEGORIC proto tcp:udp:sctp .l LEAF 1 .r LEAF 2");
        assertThat(regress(f, "proto:udp")).isEqualTo(1.0);
        assertThat(regress(f, "proto:sctp")).isEqualTo(1.0);
        assertThat(regress(f, "proto:icmp")).isEqualTo(2.0);
        assertThat(regress(f, "proto:UDP")).as("case matters").isEqualTo(2.0);
        assertThat(regress(f, "proto:ud")).isEqualTo(2.0);
    }

    @Test
    void aMissingAttributeIsZero() {
        Forest numeric = forest(". NUMERIC x 0 .l LEAF 1 .r LEAF 2");
        assertThat(regress(numeric, "")).isEqualTo(1.0);
        assertThat(regress(numeric, "other:5")).isEqualTo(1.0);
        Forest below = forest(". NUMERIC x -0.5 .l LEAF 1 .r LEAF 2");
        assertThat(regress(below, "other:-9")).as("0 > -0.5 goes right").isEqualTo(2.0);
        Forest categoric = forest(". CATEGORIC c 0:1 .l LEAF 1 .r LEAF 2");
        assertThat(regress(categoric, "")).as("missing is the text 0").isEqualTo(1.0);
        Forest otherCategories = forest(". CATEGORIC c a:b .l LEAF 1 .r LEAF 2");
        assertThat(regress(otherCategories, "d:a")).isEqualTo(2.0);
    }

    @Test
    void deeperTreesFollowEverySplit() {
        Forest f =
                forest(
                        ". NUMERIC a 10 .l CATEGORIC b x:y .ll LEAF 1 .lr NUMERIC c 0 .lrl LEAF 2"
                                + " .lrr LEAF 3 .r LEAF 4");
        assertThat(regress(f, "a:5,b:x")).isEqualTo(1.0);
        assertThat(regress(f, "a:5,b:z,c:-1")).isEqualTo(2.0);
        assertThat(regress(f, "a:5,b:z,c:1")).isEqualTo(3.0);
        assertThat(regress(f, "a:11,b:x")).isEqualTo(4.0);
    }

    @Test
    void regressionIsTheMeanOfTheLeaves() {
        Forest f =
                forest(
                        ". LEAF 1",
                        ". NUMERIC x 0 .l LEAF 2 .r LEAF 10",
                        ". NUMERIC x 0 .l LEAF 6 .r LEAF 0.5");
        assertThat(regress(f, "x:-1")).isEqualTo(3.0);
        assertThat(regress(f, "x:1")).isEqualTo((1 + 10 + 0.5) / 3);
    }

    @Test
    void classificationIsTheMajorityAndATieGoesToTheSmallestValue() {
        Forest f = forest(". LEAF 3", ". LEAF 1", ". LEAF 3", ". LEAF 1", ". LEAF 2");
        assertThat(classify(f, "")).as("3 and 1 tie with two votes each").isEqualTo(1.0);
        Forest majority = forest(". LEAF 3", ". LEAF 1", ". LEAF 3");
        assertThat(classify(majority, "")).isEqualTo(3.0);
        Forest negative = forest(". LEAF 0", ". LEAF -1");
        assertThat(classify(negative, "")).isEqualTo(-1.0);
    }

    @Test
    void sampleSyntaxToleratesSpacesIgnoresUnknownAttributesAndTheLastValueWins() {
        Forest f = forest(". NUMERIC x 1 .l LEAF 1 .r LEAF 2");
        assertThat(regress(f, " x : 5 , y:1")).isEqualTo(2.0);
        assertThat(regress(f, "y:7,x:0,")).isEqualTo(1.0);
        assertThat(regress(f, "x:0,x:5")).isEqualTo(2.0);
        assertThat(regress(f, "x:5,x:0")).isEqualTo(1.0);
    }

    @Test
    void malformedSamplesAreErrorsNamingThePair() {
        Forest f = forest(". NUMERIC x 1 .l LEAF 1 .r LEAF 2");
        assertThatThrownBy(() -> regress(f, "x:1,oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pair 2")
                .hasMessageContaining("'oops'")
                .hasMessageContaining("attr:value");
        assertThatThrownBy(() -> regress(f, "x:male"))
                .hasMessageContaining("attribute 'x' has value 'male', not a number")
                .hasMessageContaining("tree 0");
    }

    @Test
    void aTextValueIsFineWhereNoNumericSplitReadsIt() {
        Forest f =
                forest(
                        ". CATEGORIC g male .l LEAF 1 .r LEAF 2",
                        ". NUMERIC x 1 .l LEAF 3 .r LEAF 4");
        assertThat(regress(f, "g:male,x:0")).isEqualTo(2.0);
    }

    @Test
    void compilingRefusesIncompleteTrees() {
        DecisionTree incomplete = tree(". NUMERIC x 1 .l LEAF 1");
        assertThatThrownBy(() -> Forest.compile(List.of(tree(". LEAF 1"), incomplete)))
                .hasMessage("tree 1 is incomplete: no node at path '.r'");
        assertThatThrownBy(() -> Forest.compile(List.of())).hasMessageContaining("no trees");
    }

    @Test
    void manyTreesCompileIntoFlatArrays() {
        List<DecisionTree> trees = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            trees.add(tree(". NUMERIC f" + (t % 7) + " " + t + " .l LEAF 0 .r LEAF 1"));
        }
        Forest f = Forest.compile(trees);
        assertThat(f.trees()).isEqualTo(50);
        assertThat(f.nodes()).isEqualTo(150);
        // f0..f6 all 20: the 30 trees with threshold >= 20 say 0, the 20 others say 1.
        StringBuilder sample = new StringBuilder();
        for (int a = 0; a < 7; a++) {
            sample.append("f").append(a).append(":20,");
        }
        assertThat(regress(f, sample.toString())).isEqualTo(20.0 / 50);
        assertThat(classify(f, sample.toString())).isEqualTo(0.0);
    }
}
