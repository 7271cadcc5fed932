package org.dragonflymle.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dragonflymle.ml.model.KMeansModel;
import org.dragonflymle.ml.model.LinearModel;
import org.dragonflymle.ml.model.Matrix;
import org.dragonflymle.ml.protocol.DecimalParser;
import org.junit.jupiter.api.Test;

/** Storage format 1: every model reads back as the model that was written, bit for bit. */
class ModelCodecTest {

    private static String text(Map<String, byte[]> fields) {
        return new String(fields.get(ModelCodec.MODEL), StandardCharsets.UTF_8);
    }

    @Test
    void numbersAreWrittenSoTheyReadBackExactly() {
        assertThat(ModelCodec.number(14)).isEqualTo("14");
        assertThat(ModelCodec.number(-3)).isEqualTo("-3");
        assertThat(ModelCodec.number(-0.0)).isEqualTo("-0");
        assertThat(ModelCodec.number(0.1)).isEqualTo("0.1");
        assertThat(ModelCodec.number(1e-5)).isEqualTo("1.0E-5");
        assertThat(ModelCodec.number(1e20)).isEqualTo("1.0E20");
        assertThat(ModelCodec.number(Double.NaN)).isEqualTo("NaN");
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            byte[] b = ModelCodec.number(v).getBytes(StandardCharsets.US_ASCII);
            double back = DecimalParser.parseOrNaN(b, 0, b.length);
            assertThat(Double.doubleToLongBits(back)).isEqualTo(Double.doubleToLongBits(v));
        }
    }

    @Test
    void regressionKMeansAndMatrixRoundTrip() {
        LinearModel linear = new LinearModel(2, new double[] {3, 4, 0.1, -1e-300});
        Map<String, byte[]> stored = ModelCodec.encode(linear);
        assertThat(text(stored)).isEqualTo("2 3 4 0.1 -1.0E-300");
        assertThat(ModelCodec.decodeRegression(stored)).isEqualTo(linear);

        KMeansModel kmeans = new KMeansModel(2, 3, new double[] {1, 1, 2, 2, 5, 4.5});
        assertThat(text(ModelCodec.encode(kmeans))).isEqualTo("2 3 1 1 2 2 5 4.5");
        assertThat(ModelCodec.decodeKMeans(ModelCodec.encode(kmeans))).isEqualTo(kmeans);

        Matrix matrix = new Matrix(2, 1, new double[] {Double.POSITIVE_INFINITY, -7});
        assertThat(text(ModelCodec.encode(matrix))).isEqualTo("2 1 Infinity -7");
        assertThat(ModelCodec.decodeMatrix(ModelCodec.encode(matrix))).isEqualTo(matrix);
    }

    @Test
    void wordsWithAnyByteRoundTrip() {
        List<byte[]> words =
                List.of(
                        new byte[0],
                        "a b".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'%', 0, '\n', 0x7f, (byte) 0xc3, (byte) 0xa9},
                        "plain".getBytes(StandardCharsets.UTF_8),
                        new byte[0]);
        byte[] joined = ModelCodec.joinWords(words);
        assertThat(new String(joined, StandardCharsets.ISO_8859_1))
                .isEqualTo(" a%20b %25%00%0A%7F\u00c3\u00a9 plain ");
        assertThat(ModelCodec.splitWords(joined)).containsExactlyElementsOf(words);
    }

    @Test
    void damagedFieldsAreNamed() {
        assertThatThrownBy(() -> ModelCodec.decodeRegression(Map.of()))
                .hasMessage("field model is missing");
        assertThatThrownBy(
                        () ->
                                ModelCodec.decodeRegression(
                                        Map.of("model", "1 x".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("word 2 'x' is not a number");
        assertThatThrownBy(() -> ModelCodec.splitWords("a%2".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("escape");
        assertThatThrownBy(
                        () ->
                                ModelCodec.treeCount(
                                        Map.of("trees", "-1".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("field trees is not a count");
    }
}
