package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.eval;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.testutils.TestingEventRouter.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

class DragonflyLibTest {

    @TempDir Path tmp;
    private ScriptFixture f;
    private ScriptHost lua;

    @BeforeEach
    void start() throws Exception {
        f = new ScriptFixture(tmp);
        lua = f.evaluator();
    }

    private void run(String code) throws ScriptException {
        eval(lua, code);
    }

    @Test
    void analyzeEventRoutesTheValueAsIs() throws Exception {
        run("dragonfly.analyze_event('next', {a = 1})");
        run("dragonfly.analyze_event('next', 'text')");
        run("dragonfly.analyze_event('next', 42)");
        List<Call> calls = f.router.calls();
        assertThat(calls).extracting(Call::kind).containsOnly("analyze");
        assertThat(calls).extracting(Call::tag).containsOnly("next");
        assertThat(calls.get(0).value().get("a").toint()).isEqualTo(1);
        assertThat(calls.get(1).value().isstring()).isTrue();
        assertThat(calls.get(1).value().tojstring()).isEqualTo("text");
        assertThat(calls.get(2).value().type()).isEqualTo(LuaValue.TNUMBER);
    }

    @Test
    void analyzeEventWithEmptyOrNilTagDropsSilently() throws Exception {
        run(
                "dragonfly.analyze_event('', {}) dragonfly.analyze_event(nil, {})"
                        + " dragonfly.analyze_event(default_analyzer, 'x')");
        assertThat(f.router.calls()).isEmpty();
    }

    @Test
    void sinkWithEmptyDefaultAnalyzerDropsSilently() throws Exception {
        f.write(
                "analyzer/sink.lua",
                "function loop(m) dragonfly.analyze_event(default_analyzer, m) end");
        ScriptContext ctx = f.context("analyzer/sink.lua", Map.of("default_analyzer", ""), null);
        try (ScriptHost h = new ScriptHost(ctx, List.of(new DragonflyLib(f.router, ctx)))) {
            h.start();
            h.loop(LuaValue.valueOf("event"));
        }
        assertThat(f.router.calls()).isEmpty();
    }

    @Test
    void analyzeEventNeedsExactlyTwoArguments() {
        assertThatThrownBy(() -> run("dragonfly.analyze_event('a')"))
                .hasMessageContaining("analyze_event: expecting exactly 2 arguments");
        assertThatThrownBy(() -> run("dragonfly.analyze_event('a', 1, 2)"))
                .hasMessageContaining("expecting exactly 2 arguments");
        assertThatThrownBy(() -> run("dragonfly.analyze_event({}, 1)"))
                .isInstanceOf(ScriptException.class);
        assertThat(f.router.calls()).isEmpty();
    }

    @Test
    void outputEventAndItsAliasWriteToATag() throws Exception {
        run("dragonfly.output_event('log', 'line') dragonfly.forward_event('eve', {x = 1})");
        assertThat(f.router.calls())
                .extracting(Call::kind, Call::tag)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("output", "log"),
                        org.assertj.core.groups.Tuple.tuple("output", "eve"));
        assertThatThrownBy(() -> run("dragonfly.output_event('log')"))
                .hasMessageContaining("output_event: expecting exactly 2 arguments");
        assertThatThrownBy(() -> run("dragonfly.forward_event(nil, 'x')"))
                .hasMessageContaining("bad argument");
    }

    @Test
    void logAndStatsEventsTakeOneValue() throws Exception {
        run("dragonfly.log_event({msg = 'hi'}) dragonfly.stats_event('s')");
        assertThat(f.router.calls()).extracting(Call::kind).containsExactly("log", "stats");
        assertThat(f.router.calls().get(0).value().get("msg").tojstring()).isEqualTo("hi");
        assertThatThrownBy(() -> run("dragonfly.log_event()"))
                .hasMessageContaining("log_event: expecting exactly 1 argument");
        assertThatThrownBy(() -> run("dragonfly.stats_event(1, 2)"))
                .hasMessageContaining("stats_event: expecting exactly 1 argument");
    }

    @Test
    void timerEventSchedulesAValue() throws Exception {
        run("dragonfly.timer_event('later', 1.5, {n = 3})");
        Call c = f.router.only();
        assertThat(c.kind()).isEqualTo("timer");
        assertThat(c.tag()).isEqualTo("later");
        assertThat(c.seconds()).isEqualTo(1.5);
        assertThat(c.value().get("n").toint()).isEqualTo(3);
        assertThatThrownBy(() -> run("dragonfly.timer_event('later', 1)"))
                .hasMessageContaining("timer_event: expecting exactly 3 arguments");
        assertThatThrownBy(() -> run("dragonfly.timer_event('later', 'soon', 1)"))
                .hasMessageContaining("bad argument");
        assertThatThrownBy(() -> run("dragonfly.timer_event('later', -1, 1)"))
                .hasMessageContaining("seconds must be a number >= 0");
    }

    @Test
    void date2epochParsesSuricataTimestamps() throws Exception {
        assertThat(
                        eval(lua, "return dragonfly.date2epoch('2019-01-28T17:16:12.000386-0500')")
                                .todouble())
                .isCloseTo(1548713772.000386, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(evalString(lua, "return dragonfly.date2epoch('2019-01-28T22:16:12Z')"))
                .isEqualTo("1548713772");
        assertThat(evalString(lua, "return dragonfly.date2epoch('2019-01-28T22:16:12')"))
                .isEqualTo("1548713772");
        assertThatThrownBy(() -> run("dragonfly.date2epoch('nope')"))
                .hasMessageContaining("date2epoch: invalid timestamp 'nope'");
        assertThatThrownBy(() -> run("dragonfly.date2epoch()"))
                .hasMessageContaining("expecting exactly 1 argument");
    }

    @Test
    void dnslookupReturnsAddresses() throws Exception {
        assertThat(evalString(lua, "return dragonfly.dnslookup('127.0.0.1')[1]"))
                .isEqualTo("127.0.0.1");
        String local =
                evalString(lua, "return table.concat(dragonfly.dnslookup('localhost'), ',')");
        assertThat(local).containsAnyOf("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
        assertThatThrownBy(() -> run("dragonfly.dnslookup('no-such-host.invalid')"))
                .hasMessageContaining("dnslookup: no-such-host.invalid does not resolve");
    }

    @Test
    void echoPrintsToStandardError() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run("dragonfly.echo('hello ' .. 1/4)");
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("hello 0.25" + System.lineSeparator());
    }

    @Test
    void extensionsJoinTheTableButCannotReplaceBuiltIns() throws Exception {
        ScriptContext ctx = f.context("analyzer/eval.lua", Map.of(), null);
        LuaValue metric = LuaValue.valueOf("metric-placeholder");
        try (ScriptHost h =
                new ScriptHost(
                        ctx, List.of(new DragonflyLib(f.router, ctx, Map.of("metric", metric))))) {
            h.start();
            assertThat(evalString(h, "return dragonfly.metric")).isEqualTo("metric-placeholder");
            assertThat(evalString(h, "return require('dragonfly') == dragonfly")).isEqualTo("true");
        }
        DragonflyLib clash = new DragonflyLib(f.router, ctx, Map.of("echo", metric));
        assertThatThrownBy(() -> new ScriptHost(ctx, List.of(clash)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
