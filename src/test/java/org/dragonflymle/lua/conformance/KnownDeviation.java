package org.dragonflymle.lua.conformance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place where the engine deliberately differs from LuaJIT, with its reason and the test that pins
 * the engine's behaviour. {@link #explains} says whether a difference between LuaJIT's outcome and
 * the engine's is this deviation and nothing else. docs/lua-compatibility.md lists the same.
 */
record KnownDeviation(String name, String reason, String pinnedBy, Rule explains) {

    /** Whether the difference of one case is this deviation. */
    @FunctionalInterface
    interface Rule {
        boolean test(ConformanceCase c, String luajit, String engine);
    }

    private static final Pattern NUMBER =
            Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern NAMED = Pattern.compile("to '[A-Za-z_][A-Za-z_0-9.]*'");
    private static final Pattern POSITION = Pattern.compile("^(.*?:\\d+: )");

    static final List<KnownDeviation> ALL =
            List.of(
                    new KnownDeviation(
                            "negative-zero",
                            "LuaJ keeps integral values as integers, which have no negative zero;"
                                    + " giving -0 a number of its own would make t[0] and t[-0]"
                                    + " different keys",
                            "KnownDeviationsTest.negativeZeroPrintsAsZero",
                            (c, luajit, engine) ->
                                    sameExceptNumbers(
                                            luajit, engine, KnownDeviation::negativeZero)),
                    new KnownDeviation(
                            "integral-digits",
                            "an integral number below 2^63 prints all its digits (LuaJIT: %.14g),"
                                    + " so 64-bit flow_ids and counters stay distinct in keys and"
                                    + " output",
                            "KnownDeviationsTest.integralNumbersKeepAllTheirDigits",
                            (c, luajit, engine) ->
                                    sameExceptNumbers(
                                            luajit,
                                            engine,
                                            (x, y) -> fullDigits(x, y) || negativeZero(x, y))),
                    new KnownDeviation(
                            "argument-error-names",
                            "'bad argument' messages name the function being called; LuaJIT"
                                    + " names it from the call site and writes '?' for a tail call"
                                    + " or a function called by pcall",
                            "KnownDeviationsTest.argumentErrorsNameTheFunction",
                            (c, luajit, engine) ->
                                    luajit.contains("to '?'")
                                            && NAMED.matcher(engine)
                                                    .replaceAll("to '?'")
                                                    .equals(luajit)),
                    new KnownDeviation(
                            "luaj-argument-wording",
                            "argument errors raised inside LuaJ's own library functions (string.byte,"
                                    + " math.floor, select, setmetatable, ...) keep LuaJ's wording"
                                    + " ('bad argument: string expected, got nil'); the position"
                                    + " and the fact of the error are LuaJIT's",
                            "KnownDeviationsTest.luajLibraryArgumentErrorsKeepLuajWording",
                            (c, luajit, engine) -> sameUpTo(luajit, engine, "bad argument")),
                    new KnownDeviation(
                            "vm-error-wording",
                            "errors raised by the VM itself (attempt to index/call/perform"
                                    + " arithmetic on/compare/concatenate) keep LuaJ's wording:"
                                    + " LuaJIT names the variable ('local 'a''), LuaJ cannot; the"
                                    + " fact of the error is LuaJIT's, the position too except"
                                    + " for calling a non-function value",
                            "KnownDeviationsTest.vmErrorsKeepLuajWording",
                            (c, luajit, engine) ->
                                    sameUpTo(luajit, engine, "attempt to")
                                            || (luajit.contains("attempt to call")
                                                    && engine.matches(
                                                            "ok false \"attempt to call \\w+\""))
                                            || sameUpTo(
                                                    luajit.replace("attempt to index", "\u0000"),
                                                    engine.replace("index expected", "\u0000"),
                                                    "\u0000")),
                    new KnownDeviation(
                            "compiler-messages",
                            "syntax errors come from LuaJ's compiler: same chunk name and line,"
                                    + " its own wording ('unexpected symbol 43 (+)' for"
                                    + " 'unexpected symbol near '+''); 'goto' is reserved",
                            "KnownDeviationsTest.syntaxErrorsKeepLuajWording",
                            (c, luajit, engine) ->
                                    (luajit.startsWith("ok")
                                                    && engine.contains("'<name>' expected"))
                                            || (luajit.contains(" near '")
                                                    && engine.contains("unexpected symbol")
                                                    && positionOf(luajit)
                                                            .equals(positionOf(engine)))),
                    new KnownDeviation(
                            "library-set",
                            "the engine has what lua-api.md promises beyond LuaJIT 2.1"
                                    + " (string.gfind, math.mod; LuaJ's table.pack/unpack) and"
                                    + " lacks module and newproxy; LuaJIT's table.move is absent",
                            "KnownDeviationsTest.libraryFunctionsBeyondLuajit",
                            (c, luajit, engine) ->
                                    Set.of(
                                                    "patterns.gfind-alias",
                                                    "strings.string-lib-keys",
                                                    "math.pow-fmod",
                                                    "math.math-keys",
                                                    "table.table-keys",
                                                    "base.newproxy-or-nil",
                                                    "load.module-absent")
                                            .contains(c.name())),
                    new KnownDeviation(
                            "cjson-numbers-and-slash",
                            "cjson.encode writes numbers exactly (lua-cjson: %.14g) so values pass"
                                    + " through unchanged, and leaves '/' unescaped (lua-cjson"
                                    + " writes '\\/'); both read back as the same JSON",
                            "KnownDeviationsTest.cjsonEncodesExactly",
                            (c, luajit, engine) ->
                                    luajit.replace("\\92;/", "/").equals(engine)
                                            || c.name().equals("cjson.encode-fractions")),
                    new KnownDeviation(
                            "rep-count-overflow",
                            "string.rep with a count of 2^31 or more: LuaJIT's conversion makes"
                                    + " it INT_MIN and returns \"\"; the engine says 'not enough"
                                    + " memory' rather than hide the mistake",
                            "KnownDeviationsTest.repWithAHugeCountIsAnError",
                            (c, luajit, engine) ->
                                    luajit.equals("ok \"\"")
                                            && engine.contains("not enough memory")),
                    new KnownDeviation(
                            "pow-last-bit",
                            "x ^ y is Java's Math.pow, within one unit in the last place of the"
                                    + " exact value; glibc's pow (LuaJIT) is correctly rounded in"
                                    + " nearly all cases. They differ in the last bit for about 1"
                                    + " in 1,000 non-integral powers, which %.14g shows only when"
                                    + " the value sits on a rounding boundary: then the 14th digit"
                                    + " differs by one",
                            "KnownDeviationsTest.powMayDifferFromGlibcInItsLastBit",
                            (c, luajit, engine) ->
                                    c.generated()
                                            && c.code().startsWith("arith\t")
                                            && onlyPowerDiffersInLastDigit(luajit, engine)));

    /**
     * Outcomes of the generated {@code arith} case ({@code a+b, a-b, a*b, a/b, a%b, a^b}) that
     * agree except in the power, which differs by one in its 14th significant digit.
     */
    private static boolean onlyPowerDiffersInLastDigit(String luajit, String engine) {
        String[] a = luajit.split(" ");
        String[] b = engine.split(" ");
        if (a.length != 7 || b.length != 7 || !a[0].equals("ok")) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!a[i].equals(b[i])) {
                return false;
            }
        }
        try {
            BigDecimal x = new BigDecimal(a[6]);
            BigDecimal y = new BigDecimal(b[6]);
            BigDecimal larger = x.abs().max(y.abs());
            int leading = larger.precision() - larger.scale() - 1;
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(leading - 13);
            return x.subtract(y).abs().compareTo(unit) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The deviation that explains this difference of a corpus case, or null. */
    static KnownDeviation explaining(String caseName, String luajit, String engine) {
        return explaining(new ConformanceCase(caseName, "", false), luajit, engine);
    }

    /** The deviation that explains this difference, or null. */
    static KnownDeviation explaining(ConformanceCase c, String luajit, String engine) {
        for (KnownDeviation d : ALL) {
            if (d.explains.test(c, luajit, engine)) {
                return d;
            }
        }
        return null;
    }

    private static String positionOf(String s) {
        Matcher m = POSITION.matcher(s);
        return m.find() ? m.group(1) : "";
    }

    /** Both contain {@code marker} and agree on everything before it. */
    private static boolean sameUpTo(String luajit, String engine, String marker) {
        int a = luajit.indexOf(marker);
        int b = engine.indexOf(marker);
        return a >= 0 && b >= 0 && luajit.substring(0, a).equals(engine.substring(0, b));
    }

    /**
     * The two outcomes differ only in numbers, and each differing pair satisfies {@code
     * numberRule(luajit, engine)}.
     */
    static boolean sameExceptNumbers(
            String luajit, String engine, BiPredicate<String, String> numberRule) {
        Matcher a = NUMBER.matcher(luajit);
        Matcher b = NUMBER.matcher(engine);
        int ia = 0;
        int ib = 0;
        boolean differed = false;
        while (true) {
            boolean fa = a.find();
            boolean fb = b.find();
            if (fa != fb) {
                return false;
            }
            if (!fa) {
                return differed && luajit.substring(ia).equals(engine.substring(ib));
            }
            if (!luajit.substring(ia, a.start()).equals(engine.substring(ib, b.start()))) {
                return false;
            }
            String x = a.group();
            String y = b.group();
            if (!x.equals(y)) {
                if (!numberRule.test(x, y)) {
                    return false;
                }
                differed = true;
            }
            ia = a.end();
            ib = b.end();
        }
    }

    private static boolean negativeZero(String luajit, String engine) {
        return luajit.startsWith("-")
                && luajit.substring(1).equals(engine)
                && Double.parseDouble(engine) == 0;
    }

    private static boolean fullDigits(String luajit, String engine) {
        if (!engine.matches("-?\\d{15,19}")) {
            return false;
        }
        BigDecimal exact = new BigDecimal(engine);
        BigDecimal g14 = exact.round(new MathContext(14, RoundingMode.HALF_UP));
        try {
            return g14.compareTo(new BigDecimal(luajit)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
