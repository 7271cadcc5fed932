package org.dragonflymle.lua.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.CjsonLib;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins each {@link KnownDeviation}: what the engine does where it deliberately differs from LuaJIT
 * 2.1 (docs/lua-compatibility.md gives the reasons). Runs without luajit; LuaJIT's own answer is
 * quoted in each test.
 */
class KnownDeviationsTest {

    @TempDir Path tmp;
    private ScriptHost lua;

    @BeforeEach
    void start() throws Exception {
        lua = new ScriptFixture(tmp).evaluator();
    }

    private String eval(String code) throws ScriptException {
        return evalString(lua, code);
    }

    @Test
    void everyDeviationNamesItsPinningTest() throws Exception {
        for (KnownDeviation d : KnownDeviation.ALL) {
            String method = d.pinnedBy().substring(d.pinnedBy().indexOf('.') + 1);
            assertThat(getClass().getDeclaredMethod(method)).as(d.name()).isNotNull();
        }
    }

    @Test
    void integralNumbersKeepAllTheirDigits() throws Exception {
        // LuaJIT: 2.0905642954339e+15 and 9.007199254741e+15
        assertThat(eval("return 'id:' .. 2090564295433925")).isEqualTo("id:2090564295433925");
        assertThat(eval("return tostring(2^53)")).isEqualTo("9007199254740992");
        // from 2^63 on, %.14g like LuaJIT
        assertThat(eval("return tostring(2^63)")).isEqualTo("9.2233720368548e+18");
        assertThat(KnownDeviation.explaining("x", "ok 9.007199254741e+15", "ok 9007199254740992"))
                .extracting(KnownDeviation::name)
                .isEqualTo("integral-digits");
        assertThat(KnownDeviation.explaining("x", "ok 9.007199254741e+15", "ok 9007199254750000"))
                .isNull();
    }

    @Test
    void powMayDifferFromGlibcInItsLastBit() throws Exception {
        // 0x1.59e7efd6581c2p+3 ^ 0x1.8e46c55e6109ap+1: glibc (LuaJIT) 0x1.9bc8cfc82d1f1p+10
        String power =
                "return string.format('%a', tonumber('0x1.59e7efd6581c2p+3')"
                        + " ^ tonumber('0x1.8e46c55e6109ap+1'))";
        double javaPow = Math.pow(0x1.59e7efd6581c2p+3, 0x1.8e46c55e6109ap+1);
        // the engine's power is Java's, one step above glibc's
        assertThat(Math.nextUp(0x1.9bc8cfc82d1f1p+10)).isEqualTo(javaPow);
        assertThat(eval(power))
                .isEqualTo(Double.toHexString(javaPow).replace("p", "p+"))
                .isEqualTo("0x1.9bc8cfc82d1f2p+10");
        ConformanceCase arith = new ConformanceCase("g1", "arith\t3:1.5:2.5", true);
        assertThat(
                        KnownDeviation.explaining(
                                arith,
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901236e+201",
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901237e+201"))
                .extracting(KnownDeviation::name)
                .isEqualTo("pow-last-bit");
        // more than one in the 14th digit, another result, or another kind of case: not this
        assertThat(
                        KnownDeviation.explaining(
                                arith,
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901236e+201",
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901238e+201"))
                .isNull();
        assertThat(
                        KnownDeviation.explaining(
                                arith,
                                "ok 4 -1 3.75 0.7 1.5 1.2345678901236e+201",
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901237e+201"))
                .isNull();
        assertThat(
                        KnownDeviation.explaining(
                                new ConformanceCase("g2", "format\t4:%.3g:3:1.5", true),
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901236e+201",
                                "ok 4 -1 3.75 0.6 1.5 1.2345678901237e+201"))
                .isNull();
    }

    @Test
    void negativeZeroPrintsAsZero() throws Exception {
        // LuaJIT: -0 -0 -0.0
        assertThat(eval("return tostring(-0.0) .. tostring(0 * -1) .. string.format('%.1f', -0.0)"))
                .isEqualTo("000.0");
        assertThat(eval("local t = {} t[-0.0] = 'z' return t[0]")).isEqualTo("z");
    }

    @Test
    void argumentErrorsNameTheFunction() throws Exception {
        // LuaJIT: bad argument #3 to '?' (string/function/table expected)
        assertThat(eval("return select(2, pcall(string.gsub, 'abc', 'a', true))"))
                .isEqualTo("bad argument #3 to 'gsub' (string/function/table expected)");
    }

    @Test
    void luajLibraryArgumentErrorsKeepLuajWording() throws Exception {
        // LuaJIT: bad argument #1 to 'byte' (string expected, got no value)
        assertThat(eval("return select(2, pcall(string.byte))"))
                .startsWith("bad argument")
                .contains("string expected");
    }

    @Test
    void vmErrorsKeepLuajWording() throws Exception {
        // LuaJIT: eval:1: attempt to index local 'a' (a nil value)
        assertThat(eval("return select(2, pcall(loadstring('local a return a.b', '=c')))"))
                .isEqualTo("c:1: attempt to index ? (a nil value)");
    }

    @Test
    void syntaxErrorsKeepLuajWording() throws Exception {
        // LuaJIT: c:1: unexpected symbol near '+'
        assertThat(eval("return select(2, loadstring('return +', '=c'))"))
                .isEqualTo("c:1: unexpected symbol 43 (+)");
    }

    @Test
    void libraryFunctionsBeyondLuajit() throws Exception {
        // LuaJIT 2.1: string.gfind and math.mod are nil, module and newproxy exist
        assertThat(eval("return type(string.gfind) .. type(math.mod) .. type(table.pack)"))
                .isEqualTo("functionfunctionfunction");
        assertThat(eval("return type(module) .. type(newproxy)")).isEqualTo("nilnil");
    }

    @Test
    void cjsonEncodesExactly() throws Exception {
        ScriptFixture fixture = new ScriptFixture(tmp.resolve("cjson"));
        fixture.write("analyzer/eval.lua", ScriptFixture.EVALUATOR);
        ScriptContext ctx = fixture.context("analyzer/eval.lua", Map.of(), null);
        ScriptHost host = new ScriptHost(ctx, List.of(new CjsonLib()));
        host.start();
        // lua-cjson: [0.33333333333333,"a\/b"]
        assertThat(evalString(host, "return cjson.encode({1/3, 'a/b'})"))
                .isEqualTo("[0.3333333333333333,\"a/b\"]");
    }

    @Test
    void repWithAHugeCountIsAnError() {
        // LuaJIT: "" (the count becomes INT_MIN)
        assertThatThrownBy(() -> eval("return string.rep('x', 1e10)"))
                .hasMessageContaining("not enough memory");
        assertThatThrownBy(() -> eval("return string.rep('x', 2^31)"))
                .hasMessageContaining("not enough memory");
    }
}
