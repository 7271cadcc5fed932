package org.dragonflymle.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrintfFloatTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
        "0.1, 17, 0.10000000000000001",
        "14.0, 17, 14",
        "1e17, 17, 1e+17",
        "1e-5, 17, 1.0000000000000001e-05",
        "0.017986209962091559, 14, 0.017986209962092",
        "99999999999999.95, 14, 1e+14",
        "2.5, 1, 2",
        "3.5, 1, 4",
        "0.000123456, 3, 0.000123",
        "0.0000123456, 3, 1.23e-05",
        "123456, 3, 1.23e+05",
        "-0.0, 14, -0",
        "4.9e-324, 14, 4.9406564584125e-324",
        "1.7976931348623157e308, 17, 1.7976931348623157e+308",
        "-2.2250738585072014e-308, 17, -2.2250738585072014e-308",
        "5e-324, 0, 5e-324",
    })
    void printsLikeGlibc(double v, int precision, String expected) {
        assertThat(PrintfFloat.g(v, precision)).isEqualTo(expected);
        byte[] out = new byte[PrintfFloat.MAX_G_LENGTH];
        String written =
                new String(
                        out, 0, PrintfFloat.writeG(v, precision, out), StandardCharsets.US_ASCII);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void specialValues() {
        assertThat(PrintfFloat.g(Double.NaN, 14)).isEqualTo("nan");
        assertThat(PrintfFloat.g(Double.POSITIVE_INFINITY, 14)).isEqualTo("inf");
        assertThat(PrintfFloat.format('G', Double.NEGATIVE_INFINITY, 14, false)).isEqualTo("-INF");
        assertThat(PrintfFloat.format('e', 0.0, 3, false)).isEqualTo("0.000e+00");
        assertThat(PrintfFloat.format('f', 2.5, 0, false)).isEqualTo("2");
        assertThat(PrintfFloat.format('f', 2.5, 0, true)).isEqualTo("2.");
        assertThat(PrintfFloat.format('g', 1.5, 4, true)).isEqualTo("1.500");
    }

    /**
     * The reference: every conversion, precision and flag that Lua scripts can ask for, over
     * doubles of every magnitude (random bit patterns, halfway cases, powers of ten and their
     * neighbours), printed by LuaJIT's {@code string.format} (glibc's printf) and by this class.
     */
    @Test
    void agreesWithLuajitOnThousandsOfValues() throws Exception {
        Path luajit = Path.of("/usr/bin/luajit");
        assumeTrue(Files.isExecutable(luajit), "needs luajit (Debian package luajit)");
        List<Double> values = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 1500; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                values.add(v);
            }
        }
        for (int e = -20; e <= 20; e++) {
            double p = Math.pow(10, e);
            values.add(p);
            values.add(Math.nextUp(p));
            values.add(Math.nextDown(p));
            values.add(p * 2.5);
            values.add(-p * 0.5);
        }
        for (int i = 0; i < 500; i++) {
            values.add((random.nextInt(2_000_001) - 1_000_000) / 8.0); // exact binary halves
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-12, 18)));
        }
        String[] formats = {"g", "e", "f", "#g"};
        String lua =
                """
                local fmts = {'%.Ng', '%.Ne', '%.Nf', '%#.Ng'}
                for line in io.lines(arg[1]) do
                  local x = tonumber(line)
                  for _, f in ipairs(fmts) do
                    for p = 0, 17 do
                      io.write(string.format((f:gsub('N', tostring(p))), x), '\\n')
                    end
                  end
                end
                """;
        Path script = dir.resolve("printf.lua");
        Path input = dir.resolve("values.txt");
        Files.writeString(script, lua);
        List<String> lines = new ArrayList<>();
        for (double v : values) {
            lines.add(PrintfFloat.g(v, 17)); // 17 digits name the double exactly
        }
        Files.write(input, lines);
        Process p =
                new ProcessBuilder(luajit.toString(), script.toString(), input.toString())
                        .redirectErrorStream(true)
                        .start();
        List<String> expected = readLines(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(expected).hasSize(values.size() * formats.length * 18);
        int i = 0;
        List<String> differences = new ArrayList<>();
        for (double v : values) {
            for (String f : formats) {
                for (int precision = 0; precision <= 17; precision++) {
                    String actual =
                            PrintfFloat.format(
                                    f.charAt(f.length() - 1), v, precision, f.startsWith("#"));
                    if (!actual.equals(expected.get(i)) && !isTie(f, v, precision)) {
                        differences.add(
                                "%"
                                        + f
                                        + "."
                                        + precision
                                        + " of "
                                        + v
                                        + ": luajit "
                                        + expected.get(i)
                                        + ", ours "
                                        + actual);
                    }
                    i++;
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    /**
     * Whether {@code v} lies exactly halfway between two outputs of the conversion: there LuaJIT
     * 2.1's own formatter rounds away from zero, while glibc's printf, Redis-ML (C's printf) and
     * this class round to even. The one place the two references disagree.
     */
    private static boolean isTie(String f, double v, int precision) {
        BigDecimal exact = new BigDecimal(Math.abs(v));
        char c = f.charAt(f.length() - 1);
        if (c == 'f') {
            return !exact.setScale(precision, RoundingMode.HALF_UP)
                    .equals(exact.setScale(precision, RoundingMode.HALF_EVEN));
        }
        int digits = c == 'e' ? precision + 1 : Math.max(precision, 1);
        return exact.signum() != 0
                && !exact.round(new MathContext(digits, RoundingMode.HALF_UP))
                        .equals(exact.round(new MathContext(digits, RoundingMode.HALF_EVEN)));
    }

    private static List<String> readLines(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
    }
}
