package org.dragonflymle.ml.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Predictions print as C's {@code %.17g}, as Redis-ML's replies did. */
class PredictionFormatTest {

    private static String format(double v) {
        return new String(PredictionFormat.format(v), StandardCharsets.US_ASCII);
    }

    @Test
    void theCheckValuesOfTheContract() {
        assertThat(format(14.0)).isEqualTo("14");
        assertThat(format(1.0 / (1.0 + Math.exp(4)))).isEqualTo("0.017986209962091559");
        assertThat(format(1.0)).isEqualTo("1");
        assertThat(format(0.0)).isEqualTo("0");
    }

    @Test
    void matchesGlibcPrintfOnKnownValues() {
        // Printed by CPython's '%.17g' (glibc printf).
        assertThat(format(0.1)).isEqualTo("0.10000000000000001");
        assertThat(format(1e-5)).isEqualTo("1.0000000000000001e-05");
        assertThat(format(1e17)).isEqualTo("1e+17");
        assertThat(format(1e16)).isEqualTo("10000000000000000");
        assertThat(format(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(format(0.0001)).isEqualTo("0.0001");
        assertThat(format(0.00012345)).isEqualTo("0.00012344999999999999");
        assertThat(format(Double.MIN_VALUE)).isEqualTo("4.9406564584124654e-324");
        assertThat(format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(format(2.5)).isEqualTo("2.5");
        assertThat(format(1.0 / 3)).isEqualTo("0.33333333333333331");
        assertThat(format(2.0 / 3)).isEqualTo("0.66666666666666663");
        assertThat(format(1e-11)).isEqualTo("9.9999999999999994e-12");
        assertThat(format(9.999999999999999e-05)).isEqualTo("9.9999999999999991e-05");
        assertThat(format(-0.3)).isEqualTo("-0.29999999999999999");
        assertThat(format(-7.0)).isEqualTo("-7");
    }

    @Test
    void specialValuesAsGlibcPrintsThem() {
        assertThat(format(Double.NaN)).isEqualTo("nan");
        assertThat(format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(format(-0.0)).isEqualTo("-0");
    }

    @Test
    void agreesWithAnExactReferenceOnMillionsOfValues() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 500_000; i++) {
            double v =
                    switch (i % 4) {
                        case 0 -> random.nextDouble(); // probabilities
                        case 1 -> Double.longBitsToDouble(random.nextLong()); // anything
                        case 2 ->
                                (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-12, 18));
                        default -> random.nextInt(-1_000_000, 1_000_000) / 1000.0;
                    };
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            assertThat(format(v))
                    .as("bits %x", Double.doubleToRawLongBits(v))
                    .isEqualTo(reference(v));
        }
    }

    @Test
    void everyPrintedValueReadsBackAsTheSameDouble() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                assertThat(Double.parseDouble(format(v))).isEqualTo(v);
            }
        }
    }

    /** %.17g from the exact decimal value of v, the slow and obvious way. */
    private static String reference(double v) {
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 17) {
            return rounded.stripTrailingZeros().toPlainString();
        }
        String digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
        String mantissa =
                digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "")
                + mantissa
                + (exponent < 0 ? "e-" : "e+")
                + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }
}
