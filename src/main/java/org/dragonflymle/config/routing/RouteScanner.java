package org.dragonflymle.config.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the tags a script routes to literally, so config.lua needs {@code routes} only for tags a
 * script computes. Recognised calls, with any white space and either quote or a long string as the
 * tag:
 *
 * <pre>
 *   dragonfly.analyze_event("tag", ...)     dragonfly["analyze_event"]("tag", ...)
 *   dragonfly.output_event("tag", ...)      dragonfly.forward_event("tag", ...)
 *   dragonfly.timer_event("tag", ...)       analyze_event("tag", ...)   -- and the other names
 * </pre>
 *
 * The unqualified form covers the C engine's old global functions and scripts' own wrappers.
 * Comments ({@code --}, {@code --[[ ]]}, {@code --[==[ ]==]}) and the insides of strings are
 * skipped, and a tag counts only when it is the whole first argument ({@code "a" .. x} is
 * computed). This is a lexical scan, not an analysis: it finds calls in dead code too, which is why
 * an unknown tag is a warning and not an error.
 *
 * <p>The same scan tells whether a script talks to Redis ({@link #namesHiredis}), which decides
 * whether its stage gets a thread of its own.
 */
public final class RouteScanner {

    /** Where a routing call sends the event. */
    public enum Target {
        ANALYZER,
        OUTPUT
    }

    /**
     * One literal routing call.
     *
     * @param function the called function, e.g. {@code output_event}
     * @param line 1-based line of the tag in the script
     */
    public record LiteralRoute(Target target, String function, String tag, int line) {}

    private static final Map<String, Target> FUNCTIONS =
            Map.of(
                    "analyze_event", Target.ANALYZER,
                    "timer_event", Target.ANALYZER,
                    "output_event", Target.OUTPUT,
                    "forward_event", Target.OUTPUT);

    private enum Kind {
        NAME,
        STRING,
        PUNCT,
        OTHER
    }

    /** A token; {@code text} of a string with escapes is {@code null} (not a usable tag). */
    private record Token(Kind kind, String text, int line) {
        boolean is(Kind k, String t) {
            return kind == k && t.equals(text);
        }
    }

    private RouteScanner() {}

    /**
     * Whether the script names the {@code hiredis} module outside comments: the global ({@code
     * hiredis.connect()}) or {@code require "hiredis"}. Modules the script requires are not read,
     * so a script that reaches Redis only through a helper module of its own is not seen; its stage
     * then shares a thread with the stage before it, which costs speed, not correctness.
     */
    public static boolean namesHiredis(String source) {
        for (Token t : new Lexer(source).tokens()) {
            if (t.is(Kind.NAME, "hiredis") || t.is(Kind.STRING, "hiredis")) {
                return true;
            }
        }
        return false;
    }

    public static List<LiteralRoute> scan(String source) {
        List<Token> tokens = new Lexer(source).tokens();
        List<LiteralRoute> routes = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String function = null;
            int open = -1;
            if (t.is(Kind.NAME, "dragonfly")) {
                if (at(tokens, i + 1, Kind.PUNCT, ".") && isFunction(tokens, i + 2, Kind.NAME)) {
                    function = tokens.get(i + 2).text();
                    open = i + 3;
                } else if (at(tokens, i + 1, Kind.PUNCT, "[")
                        && isFunction(tokens, i + 2, Kind.STRING)
                        && at(tokens, i + 3, Kind.PUNCT, "]")) {
                    function = tokens.get(i + 2).text();
                    open = i + 4;
                }
            } else if (isFunction(tokens, i, Kind.NAME) && !afterSelector(tokens, i)) {
                function = t.text();
                open = i + 1;
            }
            if (function != null
                    && at(tokens, open, Kind.PUNCT, "(")
                    && open + 2 < tokens.size()
                    && tokens.get(open + 1).kind() == Kind.STRING
                    && tokens.get(open + 1).text() != null
                    && (at(tokens, open + 2, Kind.PUNCT, ",")
                            || at(tokens, open + 2, Kind.PUNCT, ")"))) {
                Token tag = tokens.get(open + 1);
                routes.add(
                        new LiteralRoute(
                                FUNCTIONS.get(function), function, tag.text(), tag.line()));
            }
        }
        return routes;
    }

    private static boolean at(List<Token> tokens, int i, Kind kind, String text) {
        return i >= 0 && i < tokens.size() && tokens.get(i).is(kind, text);
    }

    private static boolean isFunction(List<Token> tokens, int i, Kind kind) {
        return i < tokens.size()
                && tokens.get(i).kind() == kind
                && tokens.get(i).text() != null
                && FUNCTIONS.containsKey(tokens.get(i).text());
    }

    /** {@code x.analyze_event}, {@code x:analyze_event}, {@code function analyze_event}. */
    private static boolean afterSelector(List<Token> tokens, int i) {
        return i > 0
                && (tokens.get(i - 1).is(Kind.PUNCT, ".")
                        || tokens.get(i - 1).is(Kind.PUNCT, ":")
                        || tokens.get(i - 1).is(Kind.NAME, "function"));
    }

    /** Just enough of Lua's lexer to tell code from comments and strings. */
    private static final class Lexer {
        private final String src;
        private final List<Token> tokens = new ArrayList<>();
        private int pos;
        private int line = 1;

        Lexer(String src) {
            this.src = src;
        }

        List<Token> tokens() {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '-' && peek(1) == '-') {
                    pos += 2;
                    int level = longBracketLevel();
                    if (level >= 0) {
                        longBracket(level);
                    } else {
                        while (pos < src.length() && src.charAt(pos) != '\n') {
                            pos++;
                        }
                    }
                } else if (c == '[' && longBracketLevel() >= 0) {
                    int startLine = line;
                    String text = longBracket(longBracketLevel());
                    tokens.add(new Token(Kind.STRING, text, startLine));
                } else if (c == '"' || c == '\'') {
                    quoted(c);
                } else if (Character.isLetter(c) || c == '_') {
                    int start = pos;
                    while (pos < src.length()
                            && (Character.isLetterOrDigit(src.charAt(pos))
                                    || src.charAt(pos) == '_')) {
                        pos++;
                    }
                    tokens.add(new Token(Kind.NAME, src.substring(start, pos), line));
                } else if (Character.isDigit(c)) {
                    while (pos < src.length()
                            && (Character.isLetterOrDigit(src.charAt(pos))
                                    || src.charAt(pos) == '.')) {
                        pos++;
                    }
                    tokens.add(new Token(Kind.OTHER, null, line));
                } else {
                    tokens.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                    pos++;
                }
            }
            return tokens;
        }

        private char peek(int ahead) {
            int i = pos + ahead;
            return i < src.length() ? src.charAt(i) : '\0';
        }

        /** At {@code [==[}: the number of {@code =}; otherwise -1. */
        private int longBracketLevel() {
            if (peek(0) != '[') {
                return -1;
            }
            int i = 1;
            while (peek(i) == '=') {
                i++;
            }
            return peek(i) == '[' ? i - 1 : -1;
        }

        /** Consumes a long bracket of the given level and returns its contents. */
        private String longBracket(int level) {
            pos += level + 2;
            String close = "]" + "=".repeat(level) + "]";
            int end = src.indexOf(close, pos);
            if (end < 0) {
                end = src.length();
            }
            String text = src.substring(pos, end);
            line += (int) text.chars().filter(ch -> ch == '\n').count();
            pos = Math.min(src.length(), end + close.length());
            return text.startsWith("\n") ? text.substring(1) : text;
        }

        private void quoted(char quote) {
            int startLine = line;
            StringBuilder sb = new StringBuilder();
            boolean escaped = false;
            pos++;
            while (pos < src.length()) {
                char c = src.charAt(pos++);
                if (c == quote) {
                    break;
                }
                if (c == '\n') {
                    line++;
                    break; // an unfinished string; the compiler has reported it already
                }
                if (c == '\\') {
                    escaped = true;
                    if (pos < src.length() && src.charAt(pos) == '\n') {
                        line++;
                    }
                    pos++;
                } else {
                    sb.append(c);
                }
            }
            tokens.add(new Token(Kind.STRING, escaped ? null : sb.toString(), startLine));
        }
    }
}
