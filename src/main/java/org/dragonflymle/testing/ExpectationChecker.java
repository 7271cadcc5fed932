package org.dragonflymle.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.event.LuaJsonWriter;
import org.dragonflymle.lua.lib.MarshalCodec;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Checks a test's {@code expect} table against what the run produced and describes every
 * difference: which output or analyzer, which event (its position and the test step it came from),
 * which field, expected and actual.
 *
 * <pre>{@code
 * expect = {
 *   outputs   = { TAG = EVENTS, ... },  -- what reached each output of config.lua
 *   analyzers = { TAG = EVENTS, ... },  -- what reached each analyzer's loop (timers included)
 *   errors    = EVENTS,                 -- the error output; when not given it must stay empty
 *   log       = EVENTS,                 -- dragonfly.log_event lines
 *   stats     = EVENTS,                 -- dragonfly.stats_event lines
 *   redis     = { KEY = VALUE, ... },   -- Redis after the run (see RedisFixtures)
 *   state     = { STAGE = { KEY = { NAME = VALUE, ... } | ABSENT, ... } },  -- dragonfly.state
 *   metrics   = { STAGE = { NAME = N, ... } },  -- dragonfly.metric counters
 * }
 * EVENTS = { e1, e2, ... }     exactly these, in this order ({} means none)
 *        | { count = N, contains = { e, ... }, none = { e, ... } }   any of the three
 * }</pre>
 *
 * <p>{@link ExpectationValidator} refuses a malformed table before the test runs.
 *
 * <p>State and metrics are partial like events: only the stages, keys and names the test gives are
 * compared; a key {@code = ABSENT} must have no state at all, a name {@code = ABSENT} no value.
 */
final class ExpectationChecker {

    private static final int SHOWN_EVENTS = 5;

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private final PipelineSpec spec;

    ExpectationChecker(PipelineSpec spec) {
        this.spec = spec;
    }

    /** Every difference between {@code test.expect()} and {@code record}; empty when it passed. */
    List<String> check(AnalyzerTest test, RunRecord record, RedisFixtures redis) {
        List<String> failures = new ArrayList<>();
        if (record.setupFailure() != null) {
            failures.add("a script failed to start: " + record.setupFailure());
            return failures;
        }
        JsonMatcher matcher = new JsonMatcher(test.helpers());
        LuaTable expect = test.expect();
        LuaValue outputs = expect.rawget("outputs");
        boolean errorsExpected = !expect.rawget("errors").isnil();
        if (outputs.istable()) {
            for (LuaValue tag : ((LuaTable) outputs).keys()) {
                String t = tag.tojstring();
                errorsExpected |= t.equals(PipelineSpec.ERRORS_TAG);
                events(
                        "output \"" + t + "\"",
                        outputs.get(tag),
                        record.output(t),
                        matcher,
                        failures);
            }
        }
        LuaValue analyzers = expect.rawget("analyzers");
        if (analyzers.istable()) {
            for (LuaValue tag : ((LuaTable) analyzers).keys()) {
                String t = tag.tojstring();
                events(
                        "analyzer \"" + t + "\"",
                        analyzers.get(tag),
                        record.analyzer(t),
                        matcher,
                        failures);
            }
        }
        if (!expect.rawget("errors").isnil()) {
            events(
                    "error output",
                    expect.rawget("errors"),
                    record.output(PipelineSpec.ERRORS_TAG),
                    matcher,
                    failures);
        } else if (!errorsExpected) {
            unexpectedErrors(record.output(PipelineSpec.ERRORS_TAG), failures);
        }
        if (!expect.rawget("log").isnil()) {
            events("log_event", expect.rawget("log"), record.log(), matcher, failures);
        }
        if (!expect.rawget("stats").isnil()) {
            events("stats_event", expect.rawget("stats"), record.stats(), matcher, failures);
        }
        if (!expect.rawget("redis").isnil()) {
            redis.check((LuaTable) expect.rawget("redis"), matcher, failures);
        }
        if (!expect.rawget("state").isnil()) {
            state((LuaTable) expect.rawget("state"), record, matcher, failures);
        }
        if (!expect.rawget("metrics").isnil()) {
            metrics((LuaTable) expect.rawget("metrics"), record, matcher, failures);
        }
        return failures;
    }

    private static void state(
            LuaTable expected, RunRecord record, JsonMatcher matcher, List<String> failures) {
        for (LuaValue tag : expected.keys()) {
            String t = tag.tojstring();
            Map<String, Map<String, byte[]>> actual = record.state(t);
            LuaTable perKey = (LuaTable) expected.get(tag);
            for (LuaValue key : perKey.keys()) {
                String k = key.tojstring();
                LuaValue want = perKey.get(key);
                Map<String, byte[]> values = actual.get(k);
                String what = "state of \"" + t + "\", key \"" + k + "\"";
                ObjectNode node = values == null ? null : stateNode(values);
                TestHelpers.Matcher m = TestHelpers.matcher(want);
                if (m != null) {
                    if (m.kind() == TestHelpers.Kind.ABSENT && node != null) {
                        failures.add(what + ": expected ABSENT (no state), got " + node);
                    } else if (m.kind() != TestHelpers.Kind.ABSENT && node == null) {
                        failures.add(
                                what + ": expected some state, but there is none" + keys(actual));
                    }
                    continue;
                }
                List<String> diffs = new ArrayList<>();
                matcher.diff(want, node == null ? JSON.createObjectNode() : node, "", diffs);
                if (!diffs.isEmpty()) {
                    failures.add(
                            what
                                    + ":\n"
                                    + String.join("\n", diffs)
                                    + (node == null
                                            ? "\nno state under this key" + keys(actual)
                                            : "\nactual: " + node));
                }
            }
        }
    }

    private static String keys(Map<String, Map<String, byte[]>> actual) {
        if (actual.isEmpty()) {
            return " (the stage stored no state)";
        }
        List<String> shown = actual.keySet().stream().limit(SHOWN_EVENTS).toList();
        return " (keys with state: "
                + String.join(", ", shown.stream().map(s -> "\"" + s + "\"").toList())
                + (actual.size() > SHOWN_EVENTS ? ", …" : "")
                + ")";
    }

    /** One key's state as a JSON object: name → value, decoded as the script would get it. */
    private static ObjectNode stateNode(Map<String, byte[]> values) {
        ObjectNode node = JSON.createObjectNode();
        LuaJsonWriter writer = new LuaJsonWriter();
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            LuaValue v = MarshalCodec.decode(LuaString.valueUsing(e.getValue()));
            JsonNode json;
            try {
                json = parse(writer.encode(v));
            } catch (RuntimeException notJson) {
                json = JSON.getNodeFactory().textNode(LuaShow.show(v));
            }
            node.set(e.getKey(), json);
        }
        return node;
    }

    private static void metrics(
            LuaTable expected, RunRecord record, JsonMatcher matcher, List<String> failures) {
        for (LuaValue tag : expected.keys()) {
            String t = tag.tojstring();
            ObjectNode node = JSON.createObjectNode();
            record.metrics(t).forEach(node::put);
            List<String> diffs = new ArrayList<>();
            matcher.diff(expected.get(tag), node, "", diffs);
            if (!diffs.isEmpty()) {
                failures.add(
                        "metrics of \""
                                + t
                                + "\":\n"
                                + String.join("\n", diffs)
                                + "\nactual: "
                                + node);
            }
        }
    }

    private static void unexpectedErrors(List<RunRecord.Emitted> errors, List<String> failures) {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder b =
                new StringBuilder(
                        errors.size() == 1
                                ? "1 unexpected error record"
                                : errors.size() + " unexpected error records");
        b.append(" (expect.errors = { count = N } or a list says errors are expected):");
        for (RunRecord.Emitted e : errors) {
            b.append("\n  from ")
                    .append(e.origin())
                    .append(": ")
                    .append(errorSummary(parse(e.json())));
        }
        failures.add(b.toString());
    }

    /** An error record as one readable line: {@code counter (analyzer/x.lua): script_error: …}. */
    private static String errorSummary(JsonNode n) {
        return n.path("tag").asText()
                + " ("
                + n.path("script").asText()
                + "): "
                + n.path("reason").asText()
                + ": "
                + n.path("error").asText();
    }

    private static boolean isErrorRecord(JsonNode n) {
        return n.has("reason") && n.has("error") && n.has("stage") && n.has("event_bytes");
    }

    private void events(
            String what,
            LuaValue expectedValue,
            List<RunRecord.Emitted> actual,
            JsonMatcher matcher,
            List<String> failures) {
        LuaTable expected = (LuaTable) expectedValue;
        int n = expected.length();
        LuaValue count = expected.rawget("count");
        LuaValue contains = expected.rawget("contains");
        LuaValue none = expected.rawget("none");
        boolean ordered = n > 0 || (count.isnil() && contains.isnil() && none.isnil());
        List<JsonNode> nodes = actual.stream().map(e -> parse(e.json())).toList();
        if (ordered) {
            if (actual.size() != n) {
                failures.add(
                        what
                                + ": expected "
                                + events(n)
                                + ", got "
                                + actual.size()
                                + listing(actual, nodes));
            }
            for (int i = 0; i < Math.min(n, actual.size()); i++) {
                List<String> diffs = new ArrayList<>();
                matcher.diff(expected.get(i + 1), nodes.get(i), "", diffs);
                if (!diffs.isEmpty()) {
                    failures.add(
                            eventHeader(what, i, actual)
                                    + "\n"
                                    + String.join("\n", diffs)
                                    + "\nactual: "
                                    + JsonMatcher.show(nodes.get(i)));
                }
            }
        }
        if (!count.isnil() && count.toint() != actual.size()) {
            failures.add(
                    what
                            + ": expected "
                            + events(count.toint())
                            + ", got "
                            + actual.size()
                            + listing(actual, nodes));
        }
        if (contains.istable()) {
            LuaTable c = (LuaTable) contains;
            for (int j = 1; j <= c.length(); j++) {
                LuaValue e = c.get(j);
                if (nodes.stream().noneMatch(node -> matcher.matches(e, node))) {
                    failures.add(
                            what
                                    + ": no event matches contains["
                                    + j
                                    + "] = "
                                    + LuaShow.show(e)
                                    + closest(e, actual, nodes, matcher));
                }
            }
        }
        if (none.istable()) {
            LuaTable c = (LuaTable) none;
            for (int j = 1; j <= c.length(); j++) {
                for (int i = 0; i < nodes.size(); i++) {
                    if (matcher.matches(c.get(j), nodes.get(i))) {
                        failures.add(
                                eventHeader(what, i, actual)
                                        + " matches none["
                                        + j
                                        + "] = "
                                        + LuaShow.show(c.get(j))
                                        + ", which must not reach it"
                                        + "\nactual: "
                                        + JsonMatcher.show(nodes.get(i)));
                    }
                }
            }
        }
    }

    private static String eventHeader(String what, int i, List<RunRecord.Emitted> actual) {
        RunRecord.Emitted e = actual.get(i);
        return what
                + ", event "
                + (i + 1)
                + " of "
                + actual.size()
                + " (from "
                + e.origin()
                + ", sent by "
                + e.from()
                + "):";
    }

    private static String closest(
            LuaValue e, List<RunRecord.Emitted> actual, List<JsonNode> nodes, JsonMatcher matcher) {
        if (nodes.isEmpty()) {
            return " (nothing reached it)";
        }
        int best = -1;
        List<String> bestDiffs = null;
        for (int i = 0; i < nodes.size(); i++) {
            List<String> d = new ArrayList<>();
            matcher.diff(e, nodes.get(i), "", d);
            if (bestDiffs == null || d.size() < bestDiffs.size()) {
                best = i;
                bestDiffs = d;
            }
        }
        return "\nclosest is event "
                + (best + 1)
                + " of "
                + nodes.size()
                + " (from "
                + actual.get(best).origin()
                + "):\n"
                + String.join("\n", bestDiffs)
                + "\nactual: "
                + JsonMatcher.show(nodes.get(best));
    }

    private static String events(int n) {
        return n == 1 ? "1 event" : n + " events";
    }

    private static String listing(List<RunRecord.Emitted> actual, List<JsonNode> nodes) {
        if (actual.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(":");
        for (int i = 0; i < Math.min(SHOWN_EVENTS, actual.size()); i++) {
            b.append("\n  ")
                    .append(i + 1)
                    .append(". from ")
                    .append(actual.get(i).origin())
                    .append(": ")
                    .append(
                            isErrorRecord(nodes.get(i))
                                    ? errorSummary(nodes.get(i))
                                    : JsonMatcher.show(nodes.get(i)));
        }
        if (actual.size() > SHOWN_EVENTS) {
            b.append("\n  … and ").append(actual.size() - SHOWN_EVENTS).append(" more");
        }
        return b.toString();
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            // the engine wrote it, so it is JSON; show the text if it ever is not
            return JSON.getNodeFactory().textNode(new String(json, StandardCharsets.UTF_8));
        }
    }
}
