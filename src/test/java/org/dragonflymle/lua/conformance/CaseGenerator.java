package org.dragonflymle.lua.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random cases from a seed: patterns against subjects for find/match/gmatch/gsub, string.format
 * specifications against numbers and strings, numbers through {@code ..}, tostring, tonumber and
 * arithmetic. Numbers travel as text ({@link Double#toString}, which reads back exactly).
 */
final class CaseGenerator {

    private static final String SUBJECT_CHARS = "aab b.-%()[]^$1 9\nxyZ_,=\0\200";
    private static final String[] ATOMS = {
        "a", "b", ".", "%a", "%d", "%s", "%w", "%p", "%A", "%S", "%x", "%l", "%u", "%c", "%g", "%z",
        "%.", "%%", "%(", "[ab]", "[^a]", "[a-c]", "[%d.]", "[]]", "[^]a]", "[%a-]", "-", " ", "x",
        "1", ",", "=", "[%w_]", "%-"
    };
    private static final String[] SPECIALS = {
        "()", "%b()", "%b[]", "%f[%w]", "%f[%W]", "%f[%z]", "%1", "$", "^"
    };
    private static final String[] BROKEN = {"%", "[a", "(", ")", "%b", "%f", "[%", "%2", "(()"};
    private static final String[] REPLACEMENTS = {
        "x", "%0", "%1", "<%1>", "%%", "", "%2", "[%0]", "%", "%a", "%1%1"
    };
    private static final String FLAGS = "-+ #0";
    private static final String CONVERSIONS = "dddiouxXceEfgGgqsaA";

    private final SplittableRandom random;

    CaseGenerator(long seed) {
        random = new SplittableRandom(seed);
    }

    List<ConformanceCase> generate(int count) {
        List<ConformanceCase> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next("g" + i));
        }
        return out;
    }

    ConformanceCase next(String name) {
        int k = random.nextInt(100);
        String code;
        if (k < 55) {
            code = patternCase();
        } else if (k < 80) {
            code = formatCase();
        } else {
            code = numberCase();
        }
        return new ConformanceCase(name, code, true);
    }

    private String patternCase() {
        String s = subject();
        String p = pattern();
        switch (random.nextInt(4)) {
            case 0:
                return Batches.generated("find", s, p, init());
            case 1:
                return Batches.generated("match", s, p, init());
            case 2:
                return Batches.generated("gmatch", s, p);
            default:
                String r = REPLACEMENTS[random.nextInt(REPLACEMENTS.length)];
                String n = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(4)) : "";
                return Batches.generated("gsub", s, p, r, n);
        }
    }

    private String init() {
        return random.nextInt(3) == 0 ? Integer.toString(random.nextInt(-4, 8)) : "";
    }

    private String subject() {
        int n = random.nextInt(14);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(SUBJECT_CHARS.charAt(random.nextInt(SUBJECT_CHARS.length())));
        }
        return sb.toString();
    }

    private String pattern() {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(5) == 0) {
            sb.append('^');
        }
        int n = random.nextInt(1, 6);
        int open = 0;
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(100);
            if (k < 60) {
                sb.append(ATOMS[random.nextInt(ATOMS.length)]);
                if (random.nextInt(3) == 0) {
                    sb.append("*+-?".charAt(random.nextInt(4)));
                }
            } else if (k < 75) {
                sb.append('(');
                open++;
            } else if (k < 88 && open > 0) {
                sb.append(')');
                open--;
            } else if (k < 97) {
                sb.append(SPECIALS[random.nextInt(SPECIALS.length)]);
            } else {
                sb.append(BROKEN[random.nextInt(BROKEN.length)]);
            }
        }
        while (open-- > 0 && random.nextInt(8) != 0) {
            sb.append(')');
        }
        if (random.nextInt(6) == 0) {
            sb.append('$');
        }
        return sb.toString();
    }

    private String formatCase() {
        StringBuilder spec = new StringBuilder();
        if (random.nextInt(4) == 0) {
            spec.append("<");
        }
        spec.append('%');
        for (int i = random.nextInt(3); i > 0; i--) {
            spec.append(FLAGS.charAt(random.nextInt(FLAGS.length())));
        }
        if (random.nextInt(2) == 0) {
            spec.append(random.nextInt(random.nextInt(4) == 0 ? 120 : 25));
        }
        if (random.nextInt(2) == 0) {
            spec.append('.').append(random.nextInt(random.nextInt(4) == 0 ? 120 : 20));
        }
        char conversion =
                random.nextInt(40) == 0
                        ? "yFbn".charAt(random.nextInt(4))
                        : CONVERSIONS.charAt(random.nextInt(CONVERSIONS.length()));
        spec.append(conversion);
        if (random.nextInt(4) == 0) {
            spec.append(">");
        }
        if (conversion == 's' || conversion == 'q') {
            return Batches.generated("formats", spec.toString(), subject());
        }
        double v = conversion == 'c' ? random.nextInt(0, 256) : number();
        return Batches.generated("format", spec.toString(), text(v));
    }

    private String numberCase() {
        switch (random.nextInt(5)) {
            case 0:
                return Batches.generated("concat", text(number()));
            case 1:
                return Batches.generated("tostring", text(number()));
            case 2:
                return Batches.generated("arith", text(number()), text(number()));
            case 3:
                return Batches.generated("tonumber", numeral(), "");
            default:
                int base = random.nextInt(2, 37);
                return Batches.generated(
                        "tonumber",
                        Long.toString(random.nextLong(-100000, 100000), base),
                        Integer.toString(base));
        }
    }

    /** A numeral as scripts write them: spaces, signs, hex, exponents, and some that are not. */
    private String numeral() {
        String[] forms = {
            " 12 ", "0x1F", "-0x10", "1e3", "1E-2", ".5", "5.", "0x", "1e", "  ", "", "12a", "inf",
            "nan", "-inf", "1e400", "0x1p4", "0X1P-2", "1.5e+3", "+7", "- 7", "0x.8", "1..2",
            "\t3\n", "08", "1_000"
        };
        if (random.nextBoolean()) {
            return forms[random.nextInt(forms.length)];
        }
        return text(number());
    }

    /** Numbers worth printing: integers, ties, tiny and huge ones, random bits. */
    double number() {
        switch (random.nextInt(9)) {
            case 0:
                return random.nextInt(-1000, 1000);
            case 1:
                return random.nextInt(-1000, 1000) + 0.5;
            case 2:
                return random.nextInt(-100000, 100000) / 1000.0;
            case 3:
                return random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            case 4:
                return Math.scalb((double) random.nextLong(1L << 53), random.nextInt(-80, 20));
            case 5:
                double[] special = {
                    0,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    Double.NaN,
                    1e15,
                    1e16,
                    2e14 + 0.5,
                    12345678901234.5,
                    0x1p53,
                    0x1p63,
                    -0x1p63,
                    1e300,
                    4.9e-324,
                    2.5,
                    0.125,
                    1e-5,
                    123456789012.0
                };
                return special[random.nextInt(special.length)];
            case 6:
                return -random.nextDouble() * 1e6;
            case 7:
                return Double.longBitsToDouble(random.nextLong());
            default:
                return random.nextLong(-(1L << 40), 1L << 40) / 16.0;
        }
    }

    static String text(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "1e999" : "-1e999";
        }
        return Double.toString(v);
    }
}
