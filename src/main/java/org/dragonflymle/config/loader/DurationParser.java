package org.dragonflymle.config.loader;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;

/**
 * Reads config.lua durations: a string with a unit ({@code "500ms"}, {@code "10s"}, {@code "5m"},
 * {@code "1h"}, decimals allowed: {@code "1.5s"}) or a Lua number of seconds ({@code 10}, {@code
 * 0.5}). A duration is always positive and at least one millisecond.
 */
final class DurationParser {

    private static final Pattern WITH_UNIT =
            Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?\\s*");

    private DurationParser() {}

    /**
     * @param field the field name for messages, e.g. {@code checkpoint.interval}
     */
    static Duration parse(LuaValue value, String field) throws InvalidEntry {
        BigDecimal millis;
        if (value.type() == LuaValue.TNUMBER) {
            double seconds = value.todouble();
            if (!Double.isFinite(seconds) || seconds <= 0) {
                throw new InvalidEntry(field + " must be positive, got " + value.tojstring());
            }
            millis = BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1000));
        } else if (value.type() == LuaValue.TSTRING) {
            Matcher m = WITH_UNIT.matcher(value.tojstring());
            if (!m.matches()) {
                throw new InvalidEntry(
                        field
                                + " must be a duration like \"500ms\", \"10s\", \"5m\", \"1h\" or a"
                                + " number of seconds, got "
                                + LuaValues.describe(value));
            }
            if (m.group(2) == null) {
                throw new InvalidEntry(
                        field
                                + " \""
                                + value.tojstring().trim()
                                + "\" needs a unit: ms, s, m or h (or write a number of seconds"
                                + " without quotes)");
            }
            millis =
                    new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMillis(m.group(2))));
        } else {
            throw new InvalidEntry(
                    field
                            + " must be a duration like \"10s\" or a number of seconds, got "
                            + LuaValues.describe(value));
        }
        if (millis.compareTo(BigDecimal.ONE) < 0) {
            throw new InvalidEntry(field + " must be at least 1ms");
        }
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidEntry(field + " is too long");
        }
        return Duration.ofMillis(millis.longValue());
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> throw new IllegalStateException(unit);
        };
    }
}
