package org.dragonflymle.lua.compat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts LuaJ's error positions into Lua's form. LuaJ writes {@code @analyzer/x.lua:12 attempt to
 * call nil}; Lua and LuaJIT write {@code analyzer/x.lua:12: attempt to call nil}, and that is what
 * users and scripts that look at {@code pcall}'s message expect.
 */
public final class LuaErrorMessages {

    private static final Pattern POSITION =
            Pattern.compile("\\G[@=]?(\\[string \"[^\\n]*?\"\\]|[^\\s:][^\\s]*?):(\\d+|\\?) ");

    private LuaErrorMessages() {}

    public static String normalize(String message) {
        if (message == null) {
            return "nil";
        }
        Matcher m = POSITION.matcher(message);
        StringBuilder sb = null;
        int end = 0;
        while (m.find()) {
            if (sb == null) {
                sb = new StringBuilder(message.length() + 4);
            }
            sb.append(m.group(1)).append(':').append(m.group(2)).append(": ");
            end = m.end();
        }
        if (sb == null) {
            return message.startsWith("@") || message.startsWith("=")
                    ? message.substring(1)
                    : message;
        }
        return sb.append(message, end, message.length()).toString();
    }

    /**
     * Lua 5.1's name for a chunk loaded from a string: {@code =name} and {@code @file} keep the
     * name, anything else becomes {@code [string "first line..."]}.
     */
    public static String chunkName(String given) {
        if (given.startsWith("=") || given.startsWith("@")) {
            return given.substring(1);
        }
        int nl = given.indexOf('\n');
        String line = nl < 0 ? given : given.substring(0, nl);
        // LuaJIT's LUA_IDSIZE of 60 leaves 45 characters of the first line
        boolean cut = nl >= 0 || line.length() > 45;
        if (line.length() > 45) {
            line = line.substring(0, 45);
        }
        return "[string \"" + line + (cut ? "...\"]" : "\"]");
    }
}
