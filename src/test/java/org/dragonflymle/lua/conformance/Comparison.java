package org.dragonflymle.lua.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** LuaJIT's outcomes against the engine's, case by case. */
final class Comparison {

    record Difference(ConformanceCase c, String luajit, String engine, KnownDeviation deviation) {
        @Override
        public String toString() {
            return c.name()
                    + (deviation == null ? "" : " [" + deviation.name() + "]")
                    + "\n  code:   "
                    + c.code().strip().replace("\n", "\n          ")
                    + "\n  luajit: "
                    + luajit
                    + "\n  engine: "
                    + engine;
        }
    }

    final List<Difference> unexplained = new ArrayList<>();
    final Map<String, Integer> explained = new LinkedHashMap<>();
    int compared;

    void add(List<ConformanceCase> cases, Map<String, String> luajit, Map<String, String> engine) {
        for (ConformanceCase c : cases) {
            compared++;
            String a = luajit.getOrDefault(c.name(), "<no result>");
            String b = engine.getOrDefault(c.name(), "<no result>");
            if (a.equals(b)) {
                continue;
            }
            KnownDeviation d = KnownDeviation.explaining(c, a, b);
            if (d == null) {
                unexplained.add(new Difference(c, a, b, null));
            } else {
                explained.merge(d.name(), 1, Integer::sum);
            }
        }
    }

    String summary() {
        return compared
                + " cases, "
                + unexplained.size()
                + " unexplained differences, explained by known deviations: "
                + explained;
    }
}
