package org.dragonflymle.lua.sandbox;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * glibc's {@code strftime} in the C locale, which is what LuaJIT's {@code os.date} calls: every
 * conversion glibc knows ({@code %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p
 * %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%}), the {@code E} and {@code O} modifiers
 * (ignored in the C locale), glibc's flags {@code _ - 0 ^ #} and a field width ({@code %5Y}, {@code
 * %-d}). An unknown conversion is copied as written ({@code %Q}); the format ends at its first NUL
 * byte, as C strings do.
 */
final class Strftime {

    private Strftime() {}

    /**
     * Formats {@code t}; {@code zoneName} is what {@code %Z} prints ({@code GMT} for {@code !}
     * formats, as glibc's gmtime names it).
     */
    static String format(String fmt, ZonedDateTime t, String zoneName) {
        StringBuilder out = new StringBuilder(fmt.length() + 16);
        int n = fmt.indexOf('\0') >= 0 ? fmt.indexOf('\0') : fmt.length();
        int i = 0;
        while (i < n) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i - 1;
            char pad = 0;
            boolean upper = false;
            boolean swap = false;
            while (i < n && "_-0^#".indexOf(fmt.charAt(i)) >= 0) {
                char f = fmt.charAt(i++);
                if (f == '^') {
                    upper = true;
                } else if (f == '#') {
                    swap = true;
                } else {
                    pad = f;
                }
            }
            int width = -1;
            while (i < n && Character.isDigit(fmt.charAt(i))) {
                width = Math.max(width, 0) * 10 + (fmt.charAt(i++) - '0');
            }
            if (i < n && (fmt.charAt(i) == 'E' || fmt.charAt(i) == 'O')) {
                i++;
            }
            if (i >= n) {
                out.append(fmt, start, n);
                break;
            }
            char conv = fmt.charAt(i++);
            Field f = field(conv, t, zoneName);
            if (f == null) {
                out.append(fmt, start, i);
                continue;
            }
            String text = f.text;
            if (upper || (swap && "aAbBh".indexOf(conv) >= 0)) {
                text = text.toUpperCase(Locale.ROOT);
            } else if (swap && (conv == 'Z' || conv == 'p')) {
                text = text.toLowerCase(Locale.ROOT);
            }
            out.append(pad(text, f, pad, width));
        }
        return out.toString();
    }

    /** A converted field: its text and, for numbers, the padding it gets by default. */
    private record Field(String text, boolean numeric, int width, char pad) {
        static Field text(String s) {
            return new Field(s, false, 0, ' ');
        }

        static Field number(long v, int width, char pad) {
            return new Field(Long.toString(v), true, width, pad);
        }
    }

    private static String pad(String text, Field f, char flag, int width) {
        if (flag == '-') {
            return f.numeric ? strip(text, f.pad) : text;
        }
        int w = width >= 0 ? width : f.width;
        char p = flag == '_' ? ' ' : flag == '0' ? '0' : f.numeric ? f.pad : ' ';
        if (f.numeric && flag != 0) {
            text = strip(text, f.pad);
        }
        if (text.length() >= w) {
            return text;
        }
        boolean negative = text.startsWith("-") && p == '0';
        String body = negative ? text.substring(1) : text;
        return (negative ? "-" : "") + String.valueOf(p).repeat(w - text.length()) + body;
    }

    private static String strip(String text, char pad) {
        int k = 0;
        while (k < text.length() - 1 && text.charAt(k) == pad) {
            k++;
        }
        return text.substring(k);
    }

    private static Field field(char conv, ZonedDateTime t, String zoneName) {
        int wday = t.getDayOfWeek().getValue() % 7; // Sunday 0
        int yday = t.getDayOfYear() - 1;
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        switch (conv) {
            case 'a':
                return Field.text(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
            case 'A':
                return Field.text(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
            case 'b':
            case 'h':
                return Field.text(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
            case 'B':
                return Field.text(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
            case 'c':
                return Field.text(format("%a %b %e %H:%M:%S %Y", t, zoneName));
            case 'C':
                return Field.number(Math.floorDiv(t.getYear(), 100), 2, '0');
            case 'd':
                return Field.number(t.getDayOfMonth(), 2, '0');
            case 'D':
            case 'x':
                return Field.text(format("%m/%d/%y", t, zoneName));
            case 'e':
                return Field.number(t.getDayOfMonth(), 2, ' ');
            case 'F':
                return Field.text(t.getYear() + format("-%m-%d", t, zoneName));
            case 'g':
                return Field.number(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0');
            case 'G':
                return Field.number(t.get(IsoFields.WEEK_BASED_YEAR), 1, '0');
            case 'H':
                return Field.number(t.getHour(), 2, '0');
            case 'I':
                return Field.number(hour12, 2, '0');
            case 'j':
                return Field.number(yday + 1, 3, '0');
            case 'k':
                return Field.number(t.getHour(), 2, ' ');
            case 'l':
                return Field.number(hour12, 2, ' ');
            case 'm':
                return Field.number(t.getMonthValue(), 2, '0');
            case 'M':
                return Field.number(t.getMinute(), 2, '0');
            case 'n':
                return Field.text("\n");
            case 'p':
                return Field.text(t.getHour() < 12 ? "AM" : "PM");
            case 'P':
                return Field.text(t.getHour() < 12 ? "am" : "pm");
            case 'r':
                return Field.text(format("%I:%M:%S %p", t, zoneName));
            case 'R':
                return Field.text(format("%H:%M", t, zoneName));
            case 's':
                return Field.number(t.toEpochSecond(), 1, '0');
            case 'S':
                return Field.number(t.getSecond(), 2, '0');
            case 't':
                return Field.text("\t");
            case 'T':
            case 'X':
                return Field.text(format("%H:%M:%S", t, zoneName));
            case 'u':
                return Field.number(t.getDayOfWeek().getValue(), 1, '0');
            case 'U':
                return Field.number((yday + 7 - wday) / 7, 2, '0');
            case 'V':
                return Field.number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0');
            case 'w':
                return Field.number(wday, 1, '0');
            case 'W':
                return Field.number((yday + 7 - (wday + 6) % 7) / 7, 2, '0');
            case 'y':
                return Field.number(Math.floorMod(t.getYear(), 100), 2, '0');
            case 'Y':
                return Field.number(t.getYear(), 1, '0');
            case 'z':
                {
                    int off = t.getOffset().getTotalSeconds() / 60;
                    int a = Math.abs(off);
                    return new Field(
                            (off < 0 ? "-" : "+") + String.format("%02d%02d", a / 60, a % 60),
                            true,
                            5,
                            '0');
                }
            case 'Z':
                return Field.text(zoneName);
            case '%':
                return Field.text("%");
            default:
                return null;
        }
    }
}
