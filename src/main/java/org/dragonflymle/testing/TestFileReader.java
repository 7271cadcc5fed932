package org.dragonflymle.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.LuaJsonWriter;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.compat.LuaErrorMessages;
import org.dragonflymle.lua.lib.CjsonLib;
import org.dragonflymle.lua.sandbox.ScriptSandbox;
import org.dragonflymle.lua.sandbox.StringMetatable;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * Reads one test file: a Lua chunk, run in the same sandbox scripts get (so {@code require}, {@code
 * string}, {@code cjson} work), that returns one test table or a list of them. Fields are checked
 * here, before anything runs, so a typo ({@code expcet}) is an error naming the file and the field,
 * not a test that silently checks nothing.
 */
final class TestFileReader {

    private static final Set<String> TEST_FIELDS =
            Set.of(
                    "name",
                    "start",
                    "events",
                    "events_file",
                    "redis",
                    "redis_commands",
                    "advance",
                    "expect");

    private final PipelineSpec spec;
    private final LuaJsonWriter writer = new LuaJsonWriter();

    TestFileReader(PipelineSpec spec) {
        this.spec = spec;
    }

    /** The tests in {@code file}, in the order the file lists them. */
    List<AnalyzerTest> read(Path file) throws TestFileException {
        String shown = shownName(file);
        TestHelpers helpers = new TestHelpers();
        LuaValue result = run(file, shown, helpers);
        List<LuaTable> tables = new ArrayList<>();
        if (!result.istable()) {
            throw new TestFileException(
                    shown
                            + ": must return a test table or a list of test tables, returned "
                            + result.typename());
        }
        LuaTable t = (LuaTable) result;
        if (t.length() > 0 && t.get(1).istable() && !isTest(t)) {
            for (int i = 1; i <= t.length(); i++) {
                if (!t.get(i).istable()) {
                    throw new TestFileException(
                            shown
                                    + ": test "
                                    + i
                                    + " is a "
                                    + t.get(i).typename()
                                    + ", not a table");
                }
                tables.add((LuaTable) t.get(i));
            }
        } else {
            tables.add(t);
        }
        List<AnalyzerTest> tests = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            String where = tables.size() == 1 ? shown : shown + " test " + (i + 1);
            tests.add(test(file, where, tables.get(i), helpers));
        }
        return tests;
    }

    private static boolean isTest(LuaTable t) {
        for (String f : TEST_FIELDS) {
            if (!t.rawget(f).isnil()) {
                return true;
            }
        }
        return false;
    }

    private String shownName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(spec.root())
                ? spec.root().relativize(abs).toString()
                : abs.toString();
    }

    private LuaValue run(Path file, String shown, TestHelpers helpers) throws TestFileException {
        ScriptContext ctx =
                new ScriptContext(
                        "test",
                        file.toAbsolutePath().normalize(),
                        shown,
                        spec.root(),
                        spec.logDir(),
                        Map.of(),
                        null);
        ScriptSandbox sandbox = new ScriptSandbox(ctx);
        StringMetatable.Slot slot = StringMetatable.slot();
        LuaTable previous = StringMetatable.enter(slot, sandbox.stringMetatable());
        try (InputStream in = Files.newInputStream(file)) {
            sandbox.globals().load(new CjsonLib());
            helpers.install(sandbox.globals());
            Prototype p = LuaC.instance.compile(in, "@" + shown);
            return new LuaClosure(p, sandbox.globals()).call();
        } catch (IOException e) {
            throw new TestFileException(shown + ": cannot be read: " + e.getMessage());
        } catch (LuaError e) {
            String m = LuaErrorMessages.normalize(e.getMessage());
            throw new TestFileException(m.startsWith(shown) ? m : shown + ": " + m);
        } finally {
            StringMetatable.exit(slot, previous);
        }
    }

    private AnalyzerTest test(Path file, String where, LuaTable t, TestHelpers helpers)
            throws TestFileException {
        for (LuaValue k : t.keys()) {
            if (!k.isstring() || !TEST_FIELDS.contains(k.tojstring())) {
                throw new TestFileException(
                        where
                                + ": unknown field "
                                + k.tojstring()
                                + " (a test has "
                                + String.join(", ", TEST_FIELDS.stream().sorted().toList())
                                + ")");
            }
        }
        String name = optString(t, "name", where);
        String label = name == null ? where : where + " (" + name + ")";
        String start = optString(t, "start", label);
        if (start == null) {
            if (spec.inputs().isEmpty()) {
                throw new TestFileException(label + ": start: config.lua has no inputs; name one");
            }
            start = spec.inputs().get(0).tag();
        } else if (stage(start) == null) {
            throw new TestFileException(
                    label
                            + ": start: no input or analyzer \""
                            + start
                            + "\" in config.lua"
                            + " (stages: "
                            + stageTags()
                            + ")");
        }
        List<TestStep> steps = new ArrayList<>();
        LuaValue events = t.rawget("events");
        LuaValue eventsFile = t.rawget("events_file");
        if (!events.isnil()) {
            if (!events.istable()) {
                throw new TestFileException(label + ": events must be a list");
            }
            LuaTable list = (LuaTable) events;
            for (int i = 1; i <= list.length(); i++) {
                steps.add(step(list.get(i), "events[" + i + "]", label));
            }
        }
        if (!eventsFile.isnil()) {
            steps.addAll(fileEvents(file, eventsFile, label));
        }
        if (events.isnil() && eventsFile.isnil()) {
            throw new TestFileException(label + ": has neither events nor events_file");
        }
        LuaValue redis = t.rawget("redis");
        if (!redis.isnil() && !redis.istable()) {
            throw new TestFileException(label + ": redis must be a table of key = value");
        }
        LuaValue expect = t.rawget("expect");
        if (!expect.isnil() && !expect.istable()) {
            throw new TestFileException(label + ": expect must be a table");
        }
        LuaTable expectTable = expect.isnil() ? new LuaTable() : (LuaTable) expect;
        new ExpectationValidator(spec).validate(expectTable, label);
        return new AnalyzerTest(
                file,
                label,
                start,
                List.copyOf(steps),
                redis.isnil() ? new LuaTable() : (LuaTable) redis,
                commands(t.rawget("redis_commands"), label),
                seconds(t.rawget("advance"), label + ": advance"),
                expectTable,
                helpers);
    }

    private TestStep step(LuaValue v, String origin, String label) throws TestFileException {
        TestHelpers.Tick tick = TestHelpers.tick(v);
        if (tick != null) {
            return new TestStep.Tick(tick.seconds(), origin);
        }
        if (v.isstring() && !v.isnumber()) {
            LuaString s = v.checkstring();
            byte[] bytes = new byte[s.rawlen()];
            s.copyInto(0, bytes, 0, bytes.length);
            return new TestStep.Event(bytes, origin);
        }
        if (v.istable()) {
            try {
                return new TestStep.Event(writer.encode(v), origin);
            } catch (RuntimeException e) {
                throw new TestFileException(label + ": " + origin + ": " + e.getMessage());
            }
        }
        throw new TestFileException(
                label
                        + ": "
                        + origin
                        + " is a "
                        + v.typename()
                        + "; an event is a table, a JSON string or tick(seconds)");
    }

    private List<TestStep> fileEvents(Path testFile, LuaValue name, String label)
            throws TestFileException {
        if (!name.isstring()) {
            throw new TestFileException(label + ": events_file must be a file name");
        }
        Path dir = testFile.toAbsolutePath().getParent();
        Path f = dir.resolve(name.tojstring()).normalize();
        List<TestStep> steps = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.isBlank()) {
                    steps.add(
                            new TestStep.Event(
                                    line.getBytes(StandardCharsets.UTF_8),
                                    f.getFileName() + ":" + (i + 1)));
                }
            }
        } catch (IOException e) {
            throw new TestFileException(
                    label + ": events_file " + f + " cannot be read: " + e.getMessage());
        }
        return steps;
    }

    private static List<List<String>> commands(LuaValue v, String label) throws TestFileException {
        if (v.isnil()) {
            return List.of();
        }
        if (!v.istable()) {
            throw new TestFileException(label + ": redis_commands must be a list of lists");
        }
        List<List<String>> out = new ArrayList<>();
        LuaTable t = (LuaTable) v;
        for (int i = 1; i <= t.length(); i++) {
            LuaValue c = t.get(i);
            if (!c.istable() || c.length() == 0) {
                throw new TestFileException(
                        label
                                + ": redis_commands["
                                + i
                                + "] must be a list like {\"SET\", \"k\", \"v\"}");
            }
            List<String> args = new ArrayList<>();
            for (int j = 1; j <= c.length(); j++) {
                args.add(c.get(j).tojstring());
            }
            out.add(List.copyOf(args));
        }
        return List.copyOf(out);
    }

    static double seconds(LuaValue v, String what) throws TestFileException {
        if (v.isnil()) {
            return 0;
        }
        if (!v.isnumber() || v.todouble() < 0 || Double.isInfinite(v.todouble())) {
            throw new TestFileException(what + " must be a number of seconds >= 0");
        }
        return v.todouble();
    }

    private static String optString(LuaTable t, String field, String where)
            throws TestFileException {
        LuaValue v = t.rawget(field);
        if (v.isnil()) {
            return null;
        }
        if (!v.isstring()) {
            throw new TestFileException(where + ": " + field + " must be a string");
        }
        return v.tojstring();
    }

    private StageSpec stage(String tag) {
        for (StageSpec s : spec.inputs()) {
            if (s.tag().equals(tag)) {
                return s;
            }
        }
        return spec.analyzer(tag).orElse(null);
    }

    private String stageTags() {
        List<String> tags = new ArrayList<>();
        spec.inputs().forEach(s -> tags.add(s.tag()));
        spec.analyzers().forEach(s -> tags.add(s.tag()));
        return String.join(", ", tags);
    }
}
