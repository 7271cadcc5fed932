package org.dragonflymle.event;

import org.dragonflymle.event.JsonFormatException.Reason;

/**
 * Checks that bytes hold exactly one well-formed JSON value (RFC 8259) in valid UTF-8, without
 * building anything. Input lines pass through it once, at the input stage; everything downstream
 * trusts the bytes and decodes them lazily.
 *
 * <p>Iterative, with an explicit container stack bounded by the configured depth, so a line nested
 * 200,000 levels deep is rejected with {@link Reason#TOO_DEEP} rather than overflowing the thread's
 * stack. An instance keeps its stack between calls and is not thread-safe: one per operator
 * instance.
 */
public final class JsonValidator {

    /** Bytes a string may hold as they are: printable ASCII but the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private final int maxDepth;
    private final boolean[] isObject;

    public JsonValidator(int maxDepth) {
        this.maxDepth = maxDepth;
        this.isObject = new boolean[maxDepth + 1];
    }

    /**
     * Validates {@code b[off, off+len)}; surrounding white space is allowed.
     *
     * @throws JsonFormatException naming the reason and offset of the first problem
     */
    public void validate(byte[] b, int off, int len) throws JsonFormatException {
        final int end = off + len;
        int depth = 0;
        int p = skipWhitespace(b, off, end);
        while (true) {
            // a value starts at p
            if (p >= end) {
                throw malformed("unexpected end of input", p);
            }
            byte c = b[p];
            boolean valueDone = true;
            switch (c) {
                case '{':
                    if (depth == maxDepth) {
                        throw new JsonFormatException(
                                Reason.TOO_DEEP, "nesting deeper than " + maxDepth, p);
                    }
                    isObject[depth++] = true;
                    p = skipWhitespace(b, p + 1, end);
                    if (p < end && b[p] == '}') {
                        depth--;
                        p++;
                    } else {
                        p = member(b, p, end);
                        valueDone = false;
                    }
                    break;
                case '[':
                    if (depth == maxDepth) {
                        throw new JsonFormatException(
                                Reason.TOO_DEEP, "nesting deeper than " + maxDepth, p);
                    }
                    isObject[depth++] = false;
                    p = skipWhitespace(b, p + 1, end);
                    if (p < end && b[p] == ']') {
                        depth--;
                        p++;
                    } else {
                        valueDone = false;
                    }
                    break;
                case '"':
                    p = string(b, p, end);
                    break;
                case 't':
                    p = literal(b, p, end, "true");
                    break;
                case 'f':
                    p = literal(b, p, end, "false");
                    break;
                case 'n':
                    p = literal(b, p, end, "null");
                    break;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        p = number(b, p, end);
                    } else {
                        throw malformed("unexpected character " + describe(c), p);
                    }
            }
            if (!valueDone) {
                continue;
            }
            // after a complete value: close containers or move to the next element
            while (true) {
                p = skipWhitespace(b, p, end);
                if (depth == 0) {
                    if (p != end) {
                        throw malformed("text after the JSON value", p);
                    }
                    return;
                }
                if (p >= end) {
                    throw malformed("unexpected end of input", p);
                }
                byte d = b[p];
                boolean object = isObject[depth - 1];
                if (d == ',') {
                    p = skipWhitespace(b, p + 1, end);
                    if (object) {
                        p = member(b, p, end);
                    }
                    break;
                }
                if (d == (object ? '}' : ']')) {
                    depth--;
                    p++;
                    continue;
                }
                throw malformed(
                        "expected ',' or '" + (object ? '}' : ']') + "' but found " + describe(d),
                        p);
            }
        }
    }

    /** Validates {@code "key" :} at p and returns the position of the value. */
    private static int member(byte[] b, int p, int end) throws JsonFormatException {
        if (p >= end || b[p] != '"') {
            throw malformed("expected a string key", p);
        }
        p = skipWhitespace(b, string(b, p, end), end);
        if (p >= end || b[p] != ':') {
            throw malformed("expected ':' after key", p);
        }
        return skipWhitespace(b, p + 1, end);
    }

    static int skipWhitespace(byte[] b, int p, int end) {
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private static int literal(byte[] b, int p, int end, String word) throws JsonFormatException {
        int n = word.length();
        if (end - p < n) {
            throw malformed("truncated literal", p);
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                throw malformed("invalid literal", p);
            }
        }
        return p + n;
    }

    private static int number(byte[] b, int p, int end) throws JsonFormatException {
        int start = p;
        if (b[p] == '-') {
            p++;
        }
        if (p >= end) {
            throw malformed("truncated number", start);
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
        } else {
            throw malformed("invalid number", start);
        }
        if (p < end && b[p] == '.') {
            p++;
            int digits = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digits) {
                throw malformed("invalid number", start);
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int digits = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digits) {
                throw malformed("invalid number", start);
            }
        }
        return p;
    }

    /** Validates a string starting at the quote at p; returns the position after its end quote. */
    private static int string(byte[] b, int p, int end) throws JsonFormatException {
        int start = p++;
        while (true) {
            while (p < end && PLAIN[b[p] & 0xff]) {
                p++;
            }
            if (p >= end) {
                throw malformed("unterminated string", start);
            }
            int c = b[p];
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p = escape(b, p, end);
            } else if (c >= 0x20) {
                p++;
            } else if (c >= 0) {
                throw malformed("control character in string", p);
            } else {
                p = utf8(b, p, end);
            }
        }
    }

    private static int escape(byte[] b, int p, int end) throws JsonFormatException {
        if (p + 1 >= end) {
            throw malformed("unterminated string", p);
        }
        switch (b[p + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return p + 2;
            case 'u':
                if (p + 6 > end) {
                    throw malformed("truncated \\u escape", p);
                }
                for (int i = p + 2; i < p + 6; i++) {
                    if (Character.digit(b[i], 16) < 0) {
                        throw malformed("invalid \\u escape", p);
                    }
                }
                return p + 6;
            default:
                throw malformed("invalid escape", p);
        }
    }

    /** Validates one multi-byte UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates). */
    private static int utf8(byte[] b, int p, int end) throws JsonFormatException {
        int c = b[p] & 0xff;
        int n;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            min = 0x10000;
        } else {
            throw new JsonFormatException(Reason.INVALID_UTF8, "invalid UTF-8 lead byte", p);
        }
        if (p + n >= end) {
            throw new JsonFormatException(Reason.INVALID_UTF8, "truncated UTF-8 sequence", p);
        }
        int cp = c & (0x3f >> n);
        for (int i = 1; i <= n; i++) {
            int cc = b[p + i] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                throw new JsonFormatException(Reason.INVALID_UTF8, "invalid UTF-8 continuation", p);
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw new JsonFormatException(Reason.INVALID_UTF8, "invalid UTF-8 code point", p);
        }
        return p + n + 1;
    }

    private static JsonFormatException malformed(String message, int offset) {
        return new JsonFormatException(Reason.MALFORMED_JSON, message, offset);
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02x", c & 0xff);
    }
}
