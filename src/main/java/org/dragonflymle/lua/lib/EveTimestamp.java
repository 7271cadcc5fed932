package org.dragonflymle.lua.lib;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suricata's timestamps to epoch seconds, for {@code dragonfly.date2epoch}. Accepts {@code
 * 2019-01-28T17:16:12.000386-0500}: a date, {@code T} (or a space), a time, an optional fraction
 * and an optional offset ({@code Z}, {@code +0000}, {@code +05:30}); no offset means UTC.
 */
public final class EveTimestamp {

    private static final Pattern FORMAT =
            Pattern.compile(
                    "(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,9})?"
                            + "(Z|[+-]\\d{2}(?::?\\d{2})?)?");

    private EveTimestamp() {}

    /**
     * Epoch seconds including the fraction.
     *
     * @throws IllegalArgumentException when {@code text} is not such a timestamp
     */
    public static double toEpoch(String text) {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid timestamp '" + text + "'");
        }
        try {
            LocalDateTime t =
                    LocalDateTime.of(
                            Integer.parseInt(m.group(1)),
                            Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)),
                            Integer.parseInt(m.group(5)),
                            Integer.parseInt(m.group(6)));
            long seconds = t.toEpochSecond(offset(m.group(8)));
            double fraction = m.group(7) == null ? 0 : Double.parseDouble("0" + m.group(7));
            return seconds + fraction;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "invalid timestamp '" + text + "': " + e.getMessage());
        }
    }

    private static ZoneOffset offset(String o) {
        if (o == null || o.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = o.replace(":", "");
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3, 5)) : 0;
        int sign = o.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
