package org.dragonflymle.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.dragonflymle.event.JsonNull;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Compares an expected Lua value from a test file with an actual JSON value and says where they
 * differ, one line per difference, naming the field by its path ({@code dns.answers[2].rrname}).
 *
 * <p>Matching is partial for objects: only the fields the test names are compared, so a test says
 * what it cares about. Arrays (a table with keys 1..n) must have exactly n elements. {@code
 * ABSENT}, {@code ANY} and {@code like(pattern)} match as their names say; {@code NULL} matches
 * JSON null. Numbers compare by value ({@code 1} equals {@code 1.0}); a string never equals a
 * number.
 */
final class JsonMatcher {

    private final TestHelpers helpers;

    JsonMatcher(TestHelpers helpers) {
        this.helpers = helpers;
    }

    /** Adds a line to {@code out} for every difference; {@code actual} null means missing. */
    void diff(LuaValue expected, JsonNode actual, String path, List<String> out) {
        TestHelpers.Matcher m = TestHelpers.matcher(expected);
        String at = path.isEmpty() ? "the event" : "field " + path;
        if (m != null) {
            switch (m.kind()) {
                case ABSENT -> {
                    if (actual != null) {
                        out.add(at + ": expected ABSENT, got " + show(actual));
                    }
                }
                case ANY -> {
                    if (actual == null) {
                        out.add(at + ": expected ANY value, but it is missing");
                    }
                }
                case LIKE -> {
                    if (actual == null || !actual.isTextual()) {
                        out.add(
                                at
                                        + ": expected a string "
                                        + m.describe()
                                        + ", got "
                                        + show(actual));
                    } else if (!helpers.like(actual.textValue(), m.pattern())) {
                        out.add(at + ": expected " + m.describe() + ", got " + show(actual));
                    }
                }
            }
            return;
        }
        if (actual == null) {
            out.add(at + ": expected " + LuaShow.show(expected) + ", but it is missing");
            return;
        }
        if (expected == JsonNull.NULL) {
            if (!actual.isNull()) {
                out.add(at + ": expected NULL, got " + show(actual));
            }
        } else if (expected.type() == LuaValue.TNUMBER) {
            if (!actual.isNumber() || !sameNumber(expected, actual)) {
                out.add(at + ": expected " + LuaShow.show(expected) + ", got " + show(actual));
            }
        } else if (expected.type() == LuaValue.TSTRING) {
            if (!actual.isTextual() || !actual.textValue().equals(expected.tojstring())) {
                out.add(at + ": expected " + LuaShow.show(expected) + ", got " + show(actual));
            }
        } else if (expected.isboolean()) {
            if (!actual.isBoolean() || actual.booleanValue() != expected.toboolean()) {
                out.add(at + ": expected " + expected.toboolean() + ", got " + show(actual));
            }
        } else if (expected.istable()) {
            table((LuaTable) expected, actual, path, out);
        } else {
            out.add(at + ": cannot compare with a Lua " + expected.typename());
        }
    }

    /** Whether {@code actual} matches {@code expected} with no difference. */
    boolean matches(LuaValue expected, JsonNode actual) {
        List<String> out = new java.util.ArrayList<>();
        diff(expected, actual, "", out);
        return out.isEmpty();
    }

    /** Whether a Redis string value satisfies {@code ANY} or {@code like(pattern)}. */
    boolean helpersLike(String s, TestHelpers.Matcher m) {
        return switch (m.kind()) {
            case ANY -> true;
            case LIKE -> helpers.like(s, m.pattern());
            case ABSENT -> false;
        };
    }

    private void table(LuaTable expected, JsonNode actual, String path, List<String> out) {
        String at = path.isEmpty() ? "the event" : "field " + path;
        int n = expected.length();
        boolean array = n > 0 && expected.keyCount() == n;
        if (array) {
            if (!actual.isArray()) {
                out.add(at + ": expected an array of " + n + ", got " + show(actual));
                return;
            }
            if (actual.size() != n) {
                out.add(
                        at
                                + ": expected an array of "
                                + n
                                + " elements, got "
                                + actual.size()
                                + ": "
                                + show(actual));
                return;
            }
            for (int i = 1; i <= n; i++) {
                diff(expected.get(i), actual.get(i - 1), path + "[" + i + "]", out);
            }
            return;
        }
        if (!actual.isObject()) {
            if (expected.keyCount() == 0 && actual.isArray() && actual.isEmpty()) {
                return;
            }
            out.add(at + ": expected an object, got " + show(actual));
            return;
        }
        for (LuaValue k : expected.keys()) {
            String name = k.tojstring();
            String sub = path.isEmpty() ? name : path + "." + name;
            diff(expected.get(k), actual.get(name), sub, out);
        }
    }

    private static boolean sameNumber(LuaValue expected, JsonNode actual) {
        BigDecimal a = actual.decimalValue();
        if (expected.isinttype()) {
            return a.compareTo(BigDecimal.valueOf(expected.tolong())) == 0;
        }
        return actual.doubleValue() == expected.todouble();
    }

    static String show(JsonNode node) {
        if (node == null) {
            return "nothing (missing)";
        }
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
