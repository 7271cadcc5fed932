package org.dragonflymle.ml.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Number arguments read as strtod reads a whole argument, correctly rounded. */
class DecimalParserTest {

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(DecimalParser.isNumber(b)).as(s).isTrue();
        return DecimalParser.parseOrNaN(b, 0, b.length);
    }

    private static boolean isNumber(String s) {
        return DecimalParser.isNumber(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsTheFormsScriptsSend() {
        assertThat(parse("14")).isEqualTo(14.0);
        assertThat(parse("-3")).isEqualTo(-3.0);
        assertThat(parse("+2.5")).isEqualTo(2.5);
        assertThat(parse("0.1")).isEqualTo(0.1);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("1e-05")).isEqualTo(1e-5);
        assertThat(parse("2.5E+3")).isEqualTo(2500.0);
        assertThat(parse("1.0E20")).isEqualTo(1e20);
        assertThat(parse("0.33333333333333")).isEqualTo(0.33333333333333);
        assertThat(parse("2090564295433925")).isEqualTo(2090564295433925.0);
        assertThat(parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
        assertThat(parse("-0")).isEqualTo(-0.0);
        assertThat(parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("nan")).isNaN();
        assertThat(parse("NaN")).isNaN();
        assertThat(parse("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("1e-400")).isEqualTo(0.0);
    }

    @Test
    void rejectsEverythingElse() {
        for (String bad :
                new String[] {
                    "", " 1", "1 ", "abc", "1x", "--1", "+", ".", "e5", "1e", "1e+", "0x10",
                    "1.2.3", "1d", "1f", "infinit", "nanx", "1,5"
                }) {
            assertThat(isNumber(bad)).as("'%s'", bad).isFalse();
        }
    }

    @Test
    void agreesWithJavaOnRandomNumbersInEveryForm() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            double small = random.nextDouble() * Math.pow(10, random.nextInt(-8, 9));
            for (String s :
                    new String[] {
                        Double.toString(v),
                        Double.toString(small),
                        String.format("%.14g", small),
                        String.format("%.3f", small),
                        String.format("%.17e", v)
                    }) {
                assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
            }
        }
    }
}
