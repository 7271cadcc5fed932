package org.dragonflymle.bench;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A bundled example run on the generated input; {@code edit} rewrites its config.lua, {@code
 * passes} says which input lines reach {@code outputFile}.
 */
record Pipeline(
        String name,
        String example,
        String outputFile,
        UnaryOperator<String> edit,
        Predicate<String> passes) {

    /** The pipelines {@code scripts/bench} runs, in order. */
    static final List<Pipeline> BUNDLED =
            List.of(
                    new Pipeline(
                            "passthrough", "passthrough", "passthrough.json", c -> c, l -> true),
                    new Pipeline(
                            "hello-world",
                            "hello-world",
                            "hello-world-events.json",
                            c -> c,
                            l -> true),
                    new Pipeline(
                            "hello-world-tcp",
                            "hello-world",
                            "hello-world-events.json",
                            c -> c.replaceAll("(?m)^redis_host\\s*=.*$", ""),
                            l -> true),
                    concurrent(16),
                    new Pipeline(
                            "hello-world-p2",
                            "hello-world",
                            "hello-world-events.json",
                            c ->
                                    c.replace(
                                            "script=\"event-type-counter.lua\",",
                                            "script=\"event-type-counter.lua\","
                                                    + " parallelism=2,"),
                            l -> true),
                    new Pipeline(
                            "dga",
                            "dga",
                            "dga-scored.json",
                            c -> c,
                            l -> l.contains("\"event_type\":\"dns\"")),
                    // the cost of a shadow: the same script beside the live one, all compared
                    new Pipeline(
                            "dga-shadow",
                            "dga",
                            "dga-scored.json",
                            c ->
                                    c.replace(
                                            "script=\"dga.lua\",",
                                            "script=\"dga.lua\", shadow={ script=\"dga.lua\" },"),
                            l -> l.contains("\"event_type\":\"dns\"")),
                    new Pipeline(
                            "keyed-p1",
                            "keyed-state",
                            "keyed-state-events.json",
                            c -> c.replace("parallelism=2", "parallelism=1"),
                            l -> true),
                    new Pipeline(
                            "keyed-p2",
                            "keyed-state",
                            "keyed-state-events.json",
                            c -> c,
                            l -> true));

    /**
     * hello-world over TCP with {@code concurrency = n} on the analyzer: {@code n} Lua states whose
     * INCRs share one pipelined connection ({@code -p hello-world-tcp-c8} and the like pick any n).
     */
    static Pipeline concurrent(int n) {
        return new Pipeline(
                "hello-world-tcp-c" + n,
                "hello-world",
                "hello-world-events.json",
                c ->
                        c.replaceAll("(?m)^redis_host\\s*=.*$", "")
                                .replace(
                                        "script=\"event-type-counter.lua\",",
                                        "script=\"event-type-counter.lua\", concurrency="
                                                + n
                                                + ","),
                l -> true);
    }

    /** The bundled pipelines, and any {@code hello-world-tcp-cN} named in {@code only}. */
    static List<Pipeline> selected(List<String> only) {
        List<Pipeline> all = new java.util.ArrayList<>(BUNDLED);
        for (String name : only) {
            if (name.matches("hello-world-tcp-c\\d+")
                    && all.stream().noneMatch(p -> p.name().equals(name))) {
                all.add(concurrent(Integer.parseInt(name.substring("hello-world-tcp-c".length()))));
            }
        }
        return all;
    }
}
