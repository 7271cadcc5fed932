package org.dragonflymle.testing;

import java.util.List;
import java.util.Set;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Refuses a test's {@code expect} table (see {@link ExpectationChecker}) with unknown fields, tags
 * that name no output or stage of config.lua, or events in a form the checker cannot compare, when
 * the test file is read: before anything runs, naming the test and the field.
 */
final class ExpectationValidator {

    static final Set<String> EXPECT_FIELDS =
            Set.of("outputs", "analyzers", "errors", "log", "stats", "redis", "state", "metrics");
    static final Set<String> EVENTS_FIELDS = Set.of("count", "contains", "none");

    private final PipelineSpec spec;

    ExpectationValidator(PipelineSpec spec) {
        this.spec = spec;
    }

    /** Refuses an {@code expect} table with unknown fields or tags, before the test runs. */
    void validate(LuaTable expect, String label) throws TestFileException {
        for (LuaValue k : expect.keys()) {
            if (!EXPECT_FIELDS.contains(k.tojstring())) {
                throw new TestFileException(
                        label
                                + ": expect."
                                + k.tojstring()
                                + " is not known (expect has "
                                + String.join(", ", EXPECT_FIELDS.stream().sorted().toList())
                                + ")");
            }
        }
        LuaValue outputs = expect.rawget("outputs");
        if (!outputs.isnil()) {
            for (LuaValue tag : table(outputs, label + ": expect.outputs").keys()) {
                if (spec.output(tag.tojstring()).isEmpty()) {
                    throw new TestFileException(
                            label
                                    + ": expect.outputs."
                                    + tag.tojstring()
                                    + ": config.lua has no output \""
                                    + tag.tojstring()
                                    + "\" (outputs: "
                                    + String.join(
                                            ", ",
                                            spec.outputs().stream().map(OutputSpec::tag).toList())
                                    + ")");
                }
                events(outputs.get(tag), label + ": expect.outputs." + tag.tojstring());
            }
        }
        LuaValue analyzers = expect.rawget("analyzers");
        if (!analyzers.isnil()) {
            for (LuaValue tag : table(analyzers, label + ": expect.analyzers").keys()) {
                if (spec.analyzer(tag.tojstring()).isEmpty()) {
                    throw new TestFileException(
                            label
                                    + ": expect.analyzers."
                                    + tag.tojstring()
                                    + ": config.lua has no analyzer \""
                                    + tag.tojstring()
                                    + "\"");
                }
                events(analyzers.get(tag), label + ": expect.analyzers." + tag.tojstring());
            }
        }
        for (String f : List.of("errors", "log", "stats")) {
            if (!expect.rawget(f).isnil()) {
                events(expect.rawget(f), label + ": expect." + f);
            }
        }
        if (!expect.rawget("redis").isnil()) {
            table(expect.rawget("redis"), label + ": expect.redis");
        }
        LuaValue state = expect.rawget("state");
        if (!state.isnil()) {
            for (LuaValue tag : table(state, label + ": expect.state").keys()) {
                String what = label + ": expect.state[\"" + tag.tojstring() + "\"]";
                StageSpec s = stage(tag.tojstring(), what);
                if (s.key() == null) {
                    throw new TestFileException(
                            what
                                    + ": "
                                    + s.describe()
                                    + " has no key=, so it has no dragonfly.state to check");
                }
                LuaTable keys = table(state.get(tag), what);
                for (LuaValue k : keys.keys()) {
                    LuaValue v = keys.get(k);
                    if (TestHelpers.matcher(v) == null) {
                        table(v, what + "[\"" + k.tojstring() + "\"]");
                    }
                }
            }
        }
        LuaValue metrics = expect.rawget("metrics");
        if (!metrics.isnil()) {
            for (LuaValue tag : table(metrics, label + ": expect.metrics").keys()) {
                String what = label + ": expect.metrics[\"" + tag.tojstring() + "\"]";
                stage(tag.tojstring(), what);
                table(metrics.get(tag), what);
            }
        }
    }

    private StageSpec stage(String tag, String what) throws TestFileException {
        for (StageSpec s : spec.inputs()) {
            if (s.tag().equals(tag)) {
                return s;
            }
        }
        return spec.analyzer(tag)
                .orElseThrow(
                        () ->
                                new TestFileException(
                                        what
                                                + ": config.lua has no input or analyzer \""
                                                + tag
                                                + "\""));
    }

    private static LuaTable table(LuaValue v, String what) throws TestFileException {
        if (!v.istable()) {
            throw new TestFileException(what + " must be a table");
        }
        return (LuaTable) v;
    }

    private static void events(LuaValue v, String what) throws TestFileException {
        LuaTable t = table(v, what);
        int n = t.length();
        for (LuaValue k : t.keys()) {
            boolean index = k.isinttype() && k.toint() >= 1 && k.toint() <= n;
            if (!index && !EVENTS_FIELDS.contains(k.tojstring())) {
                throw new TestFileException(
                        what
                                + ": unknown field "
                                + k.tojstring()
                                + " (a list of events, and/or count, contains, none)");
            }
        }
        if (!t.rawget("count").isnil() && !t.rawget("count").isinttype()) {
            throw new TestFileException(what + ".count must be a whole number");
        }
        for (String f : List.of("contains", "none")) {
            if (!t.rawget(f).isnil()) {
                table(t.rawget(f), what + "." + f);
            }
        }
    }
}
