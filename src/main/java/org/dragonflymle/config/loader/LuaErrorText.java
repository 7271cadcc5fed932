package org.dragonflymle.config.loader;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns LuaJ's error text into what a Lua user expects to read: {@code chunk:LINE: message} without
 * the stack traceback LuaJ appends, with the colon LuaJ leaves out after the line of run-time
 * errors, and with keyword tokens named ({@code unexpected symbol 'end'}) where LuaJ prints an
 * internal token code.
 */
final class LuaErrorText {

    /** Lua 5.2 tokens from code 257 on, in the order LuaJ's lexer numbers them. */
    private static final String[] TOKENS = {
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
        "..", "...", "==", ">=", "<=", "~=", "::", "<eof>", "<number>", "<name>", "<string>"
    };

    private static final int FIRST_TOKEN = 257;
    private static final Pattern TOKEN_CODE = Pattern.compile("unexpected symbol (\\d+) \\(.*?\\)");
    private static final Pattern LINE_WITHOUT_COLON = Pattern.compile("^(\\S*?:\\d+) ");

    private LuaErrorText() {}

    static String clean(String luaMessage) {
        if (luaMessage == null) {
            return "unknown error";
        }
        String m = luaMessage.startsWith("@") ? luaMessage.substring(1) : luaMessage;
        int traceback = m.indexOf("\nstack traceback:");
        if (traceback >= 0) {
            m = m.substring(0, traceback);
        }
        Matcher line = LINE_WITHOUT_COLON.matcher(m);
        if (line.find()) {
            m = line.group(1) + ": " + m.substring(line.end());
        }
        Matcher token = TOKEN_CODE.matcher(m);
        if (token.find()) {
            m =
                    m.substring(0, token.start())
                            + "unexpected symbol '"
                            + tokenName(Integer.parseInt(token.group(1)))
                            + "'"
                            + m.substring(token.end());
        }
        return m.strip();
    }

    private static String tokenName(int code) {
        if (code >= FIRST_TOKEN && code - FIRST_TOKEN < TOKENS.length) {
            return TOKENS[code - FIRST_TOKEN];
        }
        return code < ' ' ? "char(" + code + ")" : String.valueOf((char) code);
    }

    /** The line number of a cleaned {@code chunk:LINE: message}, or -1. */
    static int line(String cleaned, String chunk) {
        if (cleaned.startsWith(chunk + ":")) {
            int start = chunk.length() + 1;
            int end = start;
            while (end < cleaned.length() && Character.isDigit(cleaned.charAt(end))) {
                end++;
            }
            if (end > start && end < cleaned.length() && cleaned.charAt(end) == ':') {
                return Integer.parseInt(cleaned.substring(start, end));
            }
        }
        return -1;
    }
}
