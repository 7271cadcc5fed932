package org.dragonflymle.testing;

import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.event.JsonNull;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** Shows an expected value the way the test file wrote it: {@code {event_type = "dns"}}. */
final class LuaShow {

    private LuaShow() {}

    static String show(LuaValue v) {
        String s = show(v, 0);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String show(LuaValue v, int depth) {
        TestHelpers.Matcher m = TestHelpers.matcher(v);
        if (m != null) {
            return m.describe();
        }
        if (v == JsonNull.NULL) {
            return "NULL";
        }
        if (v.type() == LuaValue.TSTRING) {
            return "\"" + v.tojstring().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v.istable()) {
            if (depth > 5) {
                return "{…}";
            }
            LuaTable t = (LuaTable) v;
            List<String> parts = new ArrayList<>();
            int n = t.length();
            for (int i = 1; i <= n; i++) {
                parts.add(show(t.get(i), depth + 1));
            }
            for (LuaValue k : t.keys()) {
                if (k.isinttype() && k.toint() >= 1 && k.toint() <= n) {
                    continue;
                }
                String key =
                        k.type() == LuaValue.TSTRING && k.tojstring().matches("[A-Za-z_]\\w*")
                                ? k.tojstring()
                                : "[" + show(k, depth + 1) + "]";
                parts.add(key + " = " + show(t.get(k), depth + 1));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return v.tojstring();
    }
}
