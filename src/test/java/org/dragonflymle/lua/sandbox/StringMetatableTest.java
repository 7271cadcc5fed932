package org.dragonflymle.lua.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.TwoArgFunction;

/** Each script sees its own {@code string} table through string methods, whatever the thread. */
class StringMetatableTest {

    @TempDir Path tmp;

    private static final String EXTENDS_STRING =
            "function string.whoami(s) return s .. '@' .. NAME end\n" + ScriptFixture.EVALUATOR;

    private ScriptHost host(ScriptFixture f, String name) throws Exception {
        ScriptHost h =
                f.started("analyzer/" + name + ".lua", "NAME = '" + name + "'\n" + EXTENDS_STRING);
        return h;
    }

    @Test
    void twoHostsOnOneThreadEachSeeTheirOwnStringTable() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost a = host(f, "a");
        ScriptHost b = host(f, "b");
        assertThat(evalString(a, "return ('x'):whoami()")).isEqualTo("x@a");
        assertThat(evalString(b, "return ('x'):whoami()")).isEqualTo("x@b");
        assertThat(evalString(a, "return ('y'):whoami()")).isEqualTo("y@a");
    }

    @Test
    void oneScriptCannotChangeWhatAnotherSees() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost a = f.evaluator();
        ScriptHost b = f.evaluator();
        evalString(
                a,
                "string.upper = function() return 'hijacked' end"
                        + " getmetatable('').__index = { len = function() return -1 end }"
                        + " return 1");
        assertThat(evalString(a, "return ('abc'):len()")).isEqualTo("-1");
        assertThat(evalString(b, "return ('abc'):upper() .. ('abc'):len()")).isEqualTo("ABC3");
        assertThat(evalString(b, "return getmetatable('').__index == string")).isEqualTo("true");
    }

    @Test
    void nestedHostsRestoreTheOuterStringTable() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost inner = host(f, "inner");
        f.write(
                "analyzer/outer.lua",
                "NAME = 'outer'\n"
                        + "function string.whoami(s) return s .. '@' .. NAME end\n"
                        + "function loop(m) before = ('x'):whoami() callInner() after = ('x'):whoami() end\n");
        ScriptContext ctx = f.context("analyzer/outer.lua", java.util.Map.of(), null);
        LuaValue callInner =
                new TwoArgFunction() {
                    @Override
                    public LuaValue call(LuaValue name, LuaValue env) {
                        env.set(
                                "callInner",
                                new org.luaj.vm2.lib.ZeroArgFunction() {
                                    @Override
                                    public LuaValue call() {
                                        try {
                                            assertThat(evalString(inner, "return ('x'):whoami()"))
                                                    .isEqualTo("x@inner");
                                        } catch (Exception e) {
                                            throw new LuaError(e.toString());
                                        }
                                        return NIL;
                                    }
                                });
                        return NIL;
                    }
                };
        try (ScriptHost outer = new ScriptHost(ctx, List.of(callInner))) {
            outer.start();
            outer.loop(LuaValue.NIL);
            assertThat(outer.globals().get("before").tojstring()).isEqualTo("x@outer");
            assertThat(outer.globals().get("after").tojstring()).isEqualTo("x@outer");
        }
    }

    @Test
    void hostsOnTwoThreadsEachSeeTheirOwnStringTable() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> run(f, "t1", barrier));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> run(f, "t2", barrier));
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    private String run(ScriptFixture f, String name, CyclicBarrier barrier) {
        try {
            ScriptHost h;
            synchronized (f) {
                h = host(f, name);
            }
            barrier.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 2000; i++) {
                String got = evalString(h, "return ('v'):whoami()");
                if (!got.equals("v@" + name)) {
                    return "saw " + got;
                }
            }
            return "ok";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void coroutinesSeeTheirScriptsStringTable() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost a = host(f, "co");
        assertThat(
                        evalString(
                                a,
                                "local co = coroutine.wrap(function() coroutine.yield(('z'):whoami()) end)"
                                        + " return co()"))
                .isEqualTo("z@co");
    }

    @Test
    void aReplacedStringMetatableIsPutBackOnTheNextCall() throws Exception {
        ScriptHost a = host(new ScriptFixture(tmp), "back");
        LuaValue saved = LuaString.s_metatable;
        LuaString.s_metatable = null;
        try {
            assertThat(evalString(a, "return ('x'):whoami()")).isEqualTo("x@back");
            assertThat(LuaString.s_metatable).isSameAs(saved);
        } finally {
            LuaString.s_metatable = saved;
        }
    }

    @Test
    void outsideAnyScriptStringMethodsWorkAndCannotBeChanged() {
        StringMetatable.install();
        assertThat(LuaString.valueOf("abc").method("upper").tojstring()).isEqualTo("ABC");
        LuaValue index = LuaString.s_metatable.get(LuaValue.INDEX);
        assertThatThrownBy(() -> index.set("upper", LuaValue.NIL)).isInstanceOf(LuaError.class);
        assertThatThrownBy(() -> LuaString.s_metatable.set(LuaValue.INDEX, LuaValue.NIL))
                .isInstanceOf(LuaError.class);
    }
}
