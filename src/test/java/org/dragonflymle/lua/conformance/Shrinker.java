package org.dragonflymle.lua.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a failing generated case smaller: removes one character of one argument at a time, keeping
 * the change while the engine still differs from LuaJIT without a known deviation explaining it.
 */
final class Shrinker {

    private final EngineRunner engine;
    private final LuajitRunner luajit;

    Shrinker(EngineRunner engine, LuajitRunner luajit) {
        this.engine = engine;
        this.luajit = luajit;
    }

    Comparison.Difference shrink(Comparison.Difference failing) throws Exception {
        Comparison.Difference best = failing;
        for (int round = 0; round < 200; round++) {
            List<ConformanceCase> candidates = smaller(best.c());
            if (candidates.isEmpty()) {
                return best;
            }
            Map<String, String> a = luajit.run(List.of(candidates), true).get(0);
            Map<String, String> b = engine.run(candidates, true);
            Comparison.Difference next = null;
            for (ConformanceCase c : candidates) {
                String x = a.getOrDefault(c.name(), "<no result>");
                String y = b.getOrDefault(c.name(), "<no result>");
                if (!x.equals(y) && KnownDeviation.explaining(c, x, y) == null) {
                    next = new Comparison.Difference(c, x, y, null);
                    break;
                }
            }
            if (next == null) {
                return best;
            }
            best = next;
        }
        return best;
    }

    /** Every case with one character fewer in one argument. */
    private static List<ConformanceCase> smaller(ConformanceCase c) {
        String code = c.code();
        int tab = code.indexOf('\t');
        String kind = code.substring(0, tab);
        List<String> args = new ArrayList<>();
        int pos = tab + 1;
        while (pos < code.length()) {
            int colon = code.indexOf(':', pos);
            int len = Integer.parseInt(code.substring(pos, colon));
            args.add(code.substring(colon + 1, colon + 1 + len));
            pos = colon + 1 + len;
        }
        List<ConformanceCase> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            for (int j = 0; j < a.length(); j++) {
                List<String> copy = new ArrayList<>(args);
                copy.set(i, a.substring(0, j) + a.substring(j + 1));
                out.add(
                        new ConformanceCase(
                                "s" + out.size(),
                                Batches.generated(kind, copy.toArray(String[]::new)),
                                true));
            }
        }
        return out;
    }
}
