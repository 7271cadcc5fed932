package org.dragonflymle.lua.compat;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * One match of a Lua 5.1 pattern against a subject, with LuaJIT 2.1's rules and messages: classes
 * {@code %a %c %d %g %l %p %s %u %w %x %z} (C locale) and their complements, sets, {@code . * + -
 * ?}, anchors, captures and position captures, back references {@code %1}–{@code %9}, {@code %b}
 * and {@code %f}. The pattern ends at its first NUL byte, as in LuaJIT; recursion deeper than 200
 * levels is {@code pattern too complex}, more than 32 captures {@code too many captures}.
 *
 * <p>Reused for every start position of one call ({@link #reset()}); not thread-safe. Every {@link
 * MatchStepHook#INTERVAL} steps it calls its {@link MatchStepHook}.
 */
final class LuaPattern {

    static final int MAX_CAPTURES = 32;
    private static final int MAX_DEPTH = 200;
    private static final int CAP_UNFINISHED = -1;
    private static final int CAP_POSITION = -2;
    private static final byte ESC = PatternItems.ESC;

    private final byte[] src;
    private final int srcOff;
    final int srcLen;
    private final PatternItems pattern;
    final int patEnd;
    private final MatchStepHook hook;
    private int steps;
    private int depth;
    int level;
    private final int[] captureStart = new int[MAX_CAPTURES];
    private final int[] captureLen = new int[MAX_CAPTURES];

    LuaPattern(LuaString subject, LuaString pattern, MatchStepHook hook) {
        this.src = subject.m_bytes;
        this.srcOff = subject.m_offset;
        this.srcLen = subject.m_length;
        this.pattern = new PatternItems(pattern);
        this.patEnd = this.pattern.end;
        this.hook = hook;
    }

    void reset() {
        level = 0;
        depth = 0;
    }

    private int p(int i) {
        return pattern.at(i);
    }

    private int s(int i) {
        return src[srcOff + i] & 0xff;
    }

    private void step() {
        if (++steps >= MatchStepHook.INTERVAL) {
            steps = 0;
            hook.steps();
        }
    }

    /** {@code n} steps at once: a back-reference compares up to a whole capture. */
    private void steps(int n) {
        steps += n;
        while (steps >= MatchStepHook.INTERVAL) {
            steps -= MatchStepHook.INTERVAL;
            hook.steps();
        }
    }

    /** Matches the pattern from {@code pi} against the subject from {@code si}: end or -1. */
    int match(int si, int pi) {
        if (++depth > MAX_DEPTH) {
            throw new LuaError("pattern too complex");
        }
        try {
            while (true) {
                step();
                if (pi == patEnd) {
                    return si;
                }
                switch (p(pi)) {
                    case '(':
                        return pi + 1 < patEnd && p(pi + 1) == ')'
                                ? startCapture(si, pi + 2, CAP_POSITION)
                                : startCapture(si, pi + 1, CAP_UNFINISHED);
                    case ')':
                        return endCapture(si, pi + 1);
                    case '$':
                        if (pi + 1 == patEnd) {
                            return si == srcLen ? si : -1;
                        }
                        break;
                    case ESC:
                        if (pi + 1 < patEnd) {
                            int c = p(pi + 1);
                            if (c == 'b') {
                                si = matchBalance(si, pi + 2);
                                if (si == -1) {
                                    return -1;
                                }
                                pi += 4;
                                continue;
                            }
                            if (c == 'f') {
                                pi += 2;
                                if (pi >= patEnd || p(pi) != '[') {
                                    throw new LuaError("missing '[' after '%f' in pattern");
                                }
                                int ep = pattern.classEnd(pi);
                                int previous = si == 0 ? 0 : s(si - 1);
                                int current = si < srcLen ? s(si) : 0;
                                if (pattern.inSet(previous, pi, ep - 1)
                                        || !pattern.inSet(current, pi, ep - 1)) {
                                    return -1;
                                }
                                pi = ep;
                                continue;
                            }
                            if (c >= '0' && c <= '9') {
                                si = matchCapture(si, c);
                                if (si == -1) {
                                    return -1;
                                }
                                pi += 2;
                                continue;
                            }
                        }
                        break;
                    default:
                        break;
                }
                int ep = pattern.classEnd(pi);
                boolean m = si < srcLen && pattern.singleMatch(s(si), pi, ep);
                if (ep < patEnd) {
                    switch (p(ep)) {
                        case '?':
                            if (m) {
                                int r = match(si + 1, ep + 1);
                                if (r != -1) {
                                    return r;
                                }
                            }
                            pi = ep + 1;
                            continue;
                        case '*':
                            return maxExpand(si, pi, ep);
                        case '+':
                            return m ? maxExpand(si + 1, pi, ep) : -1;
                        case '-':
                            return minExpand(si, pi, ep);
                        default:
                            break;
                    }
                }
                if (!m) {
                    return -1;
                }
                si++;
                pi = ep;
            }
        } finally {
            depth--;
        }
    }

    private int maxExpand(int si, int pi, int ep) {
        int i = 0;
        while (si + i < srcLen && pattern.singleMatch(s(si + i), pi, ep)) {
            step();
            i++;
        }
        while (i >= 0) {
            int r = match(si + i, ep + 1);
            if (r != -1) {
                return r;
            }
            i--;
        }
        return -1;
    }

    private int minExpand(int si, int pi, int ep) {
        while (true) {
            int r = match(si, ep + 1);
            if (r != -1) {
                return r;
            }
            if (si < srcLen && pattern.singleMatch(s(si), pi, ep)) {
                si++;
            } else {
                return -1;
            }
        }
    }

    private int startCapture(int si, int pi, int what) {
        if (level >= MAX_CAPTURES) {
            throw new LuaError("too many captures");
        }
        captureStart[level] = si;
        captureLen[level] = what;
        level++;
        int r = match(si, pi);
        if (r == -1) {
            level--;
        }
        return r;
    }

    private int endCapture(int si, int pi) {
        int l = captureToClose();
        captureLen[l] = si - captureStart[l];
        int r = match(si, pi);
        if (r == -1) {
            captureLen[l] = CAP_UNFINISHED;
        }
        return r;
    }

    private int captureToClose() {
        for (int l = level - 1; l >= 0; l--) {
            if (captureLen[l] == CAP_UNFINISHED) {
                return l;
            }
        }
        throw new LuaError("invalid pattern capture");
    }

    private int matchBalance(int si, int pi) {
        if (pi + 1 >= patEnd) {
            throw new LuaError("unbalanced pattern");
        }
        if (si >= srcLen || s(si) != p(pi)) {
            return -1;
        }
        int open = p(pi);
        int close = p(pi + 1);
        int count = 1;
        for (int i = si + 1; i < srcLen; i++) {
            step();
            int c = s(i);
            if (c == close) {
                if (--count == 0) {
                    return i + 1;
                }
            } else if (c == open) {
                count++;
            }
        }
        return -1;
    }

    private int matchCapture(int si, int digit) {
        int l = checkCapture(digit);
        int len = captureLen[l];
        if (len >= 0 && srcLen - si >= len) {
            steps(len);
            int start = captureStart[l];
            for (int k = 0; k < len; k++) {
                if (src[srcOff + start + k] != src[srcOff + si + k]) {
                    return -1;
                }
            }
            return si + len;
        }
        return -1;
    }

    private int checkCapture(int digit) {
        int l = digit - '1';
        if (l < 0 || l >= level || captureLen[l] == CAP_UNFINISHED) {
            throw new LuaError("invalid capture index");
        }
        return l;
    }

    /** Capture {@code i} (or the whole match when there are none) as a Lua value. */
    LuaValue capture(int i, int start, int end) {
        if (i >= level) {
            if (i == 0) {
                return LuaString.valueUsing(src, srcOff + start, end - start);
            }
            throw new LuaError("invalid capture index");
        }
        int len = captureLen[i];
        if (len == CAP_UNFINISHED) {
            throw new LuaError("unfinished capture");
        }
        if (len == CAP_POSITION) {
            return LuaValue.valueOf(captureStart[i] + 1);
        }
        return LuaString.valueUsing(src, srcOff + captureStart[i], len);
    }

    /** Captures of a match from {@code start} to {@code end}: all of them, or the whole match. */
    LuaValue[] captures(int start, int end, boolean wholeIfNone) {
        int n = level == 0 && wholeIfNone ? 1 : level;
        LuaValue[] out = new LuaValue[n];
        for (int i = 0; i < n; i++) {
            out[i] = capture(i, start, end);
        }
        return out;
    }
}
