package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;

/**
 * A Lua 5.1 pattern as {@link LuaPattern} reads it: its bytes up to the first NUL (LuaJIT ends a
 * pattern there), and its single-character items – {@code .}, a class {@code %a}, a set {@code
 * [...]} or a literal – with LuaJIT 2.1's C-locale classes and its messages for a malformed item.
 * Immutable.
 */
final class PatternItems {

    static final byte ESC = '%';

    private final byte[] pat;
    private final int patOff;

    /** The pattern's length up to its first NUL byte. */
    final int end;

    PatternItems(LuaString pattern) {
        this.pat = pattern.m_bytes;
        this.patOff = pattern.m_offset;
        int e = 0;
        while (e < pattern.m_length && pat[patOff + e] != 0) {
            e++;
        }
        this.end = e;
    }

    /** Byte {@code i} of the pattern, unsigned. */
    int at(int i) {
        return pat[patOff + i] & 0xff;
    }

    /** The index just past the single-character class at {@code pi}. */
    int classEnd(int pi) {
        int c = at(pi++);
        if (c == ESC) {
            if (pi >= end) {
                throw new LuaError("malformed pattern (ends with '%')");
            }
            return pi + 1;
        }
        if (c == '[') {
            if (pi < end && at(pi) == '^') {
                pi++;
            }
            do {
                if (pi >= end) {
                    throw new LuaError("malformed pattern (missing ']')");
                }
                int d = at(pi++);
                if (d == ESC && pi < end) {
                    pi++;
                }
            } while (pi >= end || at(pi) != ']');
            return pi + 1;
        }
        return pi;
    }

    boolean singleMatch(int c, int pi, int ep) {
        switch (at(pi)) {
            case '.':
                return true;
            case ESC:
                return matchClass(c, at(pi + 1));
            case '[':
                return inSet(c, pi, ep - 1);
            default:
                return at(pi) == c;
        }
    }

    /** Whether {@code c} is in the set from {@code pi} ('[') to {@code last} (']'). */
    boolean inSet(int c, int pi, int last) {
        boolean found = true;
        if (at(pi + 1) == '^') {
            found = false;
            pi++;
        }
        while (++pi < last) {
            if (at(pi) == ESC) {
                pi++;
                if (matchClass(c, at(pi))) {
                    return found;
                }
            } else if (pi + 2 < last && at(pi + 1) == '-') {
                if (at(pi) <= c && c <= at(pi + 2)) {
                    return found;
                }
                pi += 2;
            } else if (at(pi) == c) {
                return found;
            }
        }
        return !found;
    }

    /** {@code %x} for class letter {@code cl}: a C-locale class, or the letter itself. */
    static boolean matchClass(int c, int cl) {
        boolean r;
        switch (cl | 0x20) {
            case 'a':
                r = isAlpha(c);
                break;
            case 'c':
                r = c < 32 || c == 127;
                break;
            case 'd':
                r = c >= '0' && c <= '9';
                break;
            case 'g':
                r = c > 32 && c < 127;
                break;
            case 'l':
                r = c >= 'a' && c <= 'z';
                break;
            case 'p':
                r = c > 32 && c < 127 && !isAlpha(c) && !(c >= '0' && c <= '9');
                break;
            case 's':
                r = c == ' ' || (c >= '\t' && c <= '\r');
                break;
            case 'u':
                r = c >= 'A' && c <= 'Z';
                break;
            case 'w':
                r = isAlpha(c) || (c >= '0' && c <= '9');
                break;
            case 'x':
                r = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
                break;
            case 'z':
                r = c == 0;
                break;
            default:
                return cl == c;
        }
        return (cl & 0x20) == 0 ? !r : r;
    }

    private static boolean isAlpha(int c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
}
