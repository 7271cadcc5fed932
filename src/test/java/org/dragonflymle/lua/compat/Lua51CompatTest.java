package org.dragonflymle.lua.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.nio.file.Path;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lua 5.1 / LuaJIT behaviour scripts rely on; expected values are LuaJIT 2.1's. */
class Lua51CompatTest {

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
    void luaFiveOneFunctionsExist() throws Exception {
        assertThat(eval("return select('#', unpack({1, 2, 3}))")).isEqualTo("3");
        assertThat(eval("return select(2, unpack({1, 2, 3}, 2))")).isEqualTo("3");
        assertThat(eval("return table.getn({1, 2, 3})")).isEqualTo("3");
        assertThat(eval("return table.maxn({[1] = 1, [10] = 2, [3.5] = 3, x = 4})"))
                .isEqualTo("10");
        assertThat(eval("return table.maxn({})")).isEqualTo("0");
        assertThat(eval("return loadstring('return 1 + 2')()")).isEqualTo("3");
        assertThat(eval("return math.pow(2, 10)")).isEqualTo("1024");
        assertThat(eval("return math.mod(-7, 3)")).isEqualTo("-1");
        assertThat(eval("return math.fmod(-7, 3)")).isEqualTo("-1");
        assertThat(eval("return math.log10(1000)")).isEqualTo("3");
        assertThat(eval("return math.ldexp(0.5, 4)")).isEqualTo("8");
        assertThat(eval("return select(2, math.frexp(8))")).isEqualTo("4");
        assertThat(
                        eval(
                                "local t = {} for w in string.gfind('one two', '%a+') do t[#t+1] = w end"
                                        + " return table.concat(t, ';')"))
                .isEqualTo("one;two");
    }

    @Test
    void setfenvAndGetfenvWorkOnFunctions() throws Exception {
        assertThat(
                        eval(
                                "local f = loadstring('x = 5 return y') local env = {y = 'from env'}"
                                        + " setfenv(f, env) local r = f()"
                                        + " return r .. ',' .. env.x .. ',' .. tostring(x)"
                                        + " .. ',' .. tostring(getfenv(f) == env)"))
                .isEqualTo("from env,5,nil,true");
        assertThat(eval("return getfenv() == _G and getfenv(1) == _G and getfenv(print) == _G"))
                .isEqualTo("true");
        assertThatThrownBy(() -> eval("setfenv(1, {})"))
                .hasMessageContaining("setfenv with a stack level is not supported");
        assertThat(eval("return gcinfo() > 0")).isEqualTo("true");
    }

    @Test
    void foreachStopsAtTheFirstNonNilResult() throws Exception {
        assertThat(eval("return table.foreach({a = 1}, function(k, v) return k .. v end)"))
                .isEqualTo("a1");
        assertThat(
                        eval(
                                "local seen = {} table.foreachi({'x', 'y', 'z'}, function(i, v)"
                                        + " seen[#seen+1] = i .. v if i == 2 then return true end end)"
                                        + " return table.concat(seen, ',')"))
                .isEqualTo("1x,2y");
    }

    @Test
    void requireOfStandardLibrariesWorks() throws Exception {
        assertThat(eval("require 'string' require 'math' require 'table' return 'ok'"))
                .isEqualTo("ok");
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '"',
            value = {
                "tostring(3.0) => 3",
                "tostring(1/3) => 0.33333333333333",
                "7/2 => 3.5",
                "2^31 => 2147483648",
                "2^53 => 9007199254740992",
                "1e15 => 1000000000000000",
                "2^63 => 9.2233720368548e+18",
                "tostring(nil) => nil",
                "math.floor(-3.5) => -4",
                "-7 % 3 => 2",
                "5.5 % 2 => 1.5",
                "2^0.5 => 1.4142135623731",
                "#'abc' => 3",
                "select('#', nil, nil) => 2"
            })
    void numbersPrintLikeLuaJit(String expr, String expected) throws Exception {
        assertThat(eval("return " + expr)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '"',
            value = {
                "'%5.2f', 3.14159 => \" 3.14\"",
                "'%-8.3f|', 2.5 => 2.500   |",
                "'%+d', 5 => +5",
                "'% d', 5 => \" 5\"",
                "'%05d', -42 => -0042",
                "'%x', -1 => ffffffffffffffff",
                "'%X', 255 => FF",
                "'%o', 8 => 10",
                "'%#x', 255 => 0xff",
                "'%#o', 8 => 010",
                "'%d', 3.7 => 3",
                "'%d', -3.7 => -3",
                "'%d', 2^40 => 1099511627776",
                "'%d', 2^53 => 9007199254740992",
                "'%i', '12' => 12",
                "'%u', 42 => 42",
                "'%s|%s', 1.5, 10 => 1.5|10",
                "'%5s|%-5s|', 'ab', 'ab' => \"   ab|ab   |\"",
                "'%.2s', 'abcdef' => ab",
                "'%10.4s|', 'abcdefg' => \"      abcd|\"",
                "'%s', nil => nil",
                "'%s', true => true",
                "'%s', 1/3 => 0.33333333333333",
                "'%5.1f|%f|%.0f', 0/0, 1/0, 2.5 => \"  nan|inf|3\"",
                "'%.3f', -0.0005 => -0.001",
                "'%g', 2^63 => 9.22337e+18",
                "'%.14g', 0.1 => 0.1",
                "'%%' => %",
                "'%c%c', 72, 105 => Hi",
                "'%5.2f', 1e15 => 1000000000000000.00"
            })
    void formatLikeLuaJit(String args, String expected) throws Exception {
        assertThat(eval("return string.format(" + args + ")")).isEqualTo(expected);
    }

    @Test
    void formatQuotesLikeLuaJit() throws Exception {
        assertThat(eval("return string.format('%q', 'a\\rb\\1c\\0019\\n\"')"))
                .isEqualTo("\"a\\13b\\1c\\0019\\\n\\\"\"");
    }

    @Test
    void formatErrorsAreLuaErrors() {
        assertThatThrownBy(() -> eval("return string.format('%d', 'x')"))
                .hasMessageContaining("bad argument #2 to 'format' (number expected, got string)");
        assertThatThrownBy(() -> eval("return string.format('%d')"))
                .hasMessageContaining("bad argument #2 to 'format'");
        assertThatThrownBy(() -> eval("return string.format('%z', 1)"))
                .hasMessageContaining("invalid option '%z' to 'format'");
        assertThatThrownBy(() -> eval("return string.format('%', 1)"))
                .hasMessageContaining("invalid option");
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '"',
            value = {
                "' 0x1F ' => 31",
                "'1e' => nil",
                "'1.5e+3' => 1500",
                "'.5' => 0.5",
                "'5.' => 5",
                "'- 1' => nil",
                "'-0x10' => -16",
                "'1 2' => nil",
                "'0x' => nil",
                "'' => nil",
                "'  12  ' => 12",
                "'nan' => nan",
                "'inf' => inf",
                "'1d' => nil",
                "'ff', 16 => 255",
                "'zz', 36 => 1295",
                "'8', 8 => nil",
                "{} => nil",
                "12 => 12"
            })
    void tonumberLikeLuaJit(String args, String expected) throws Exception {
        assertThat(eval("return tonumber(" + args + ")")).isEqualTo(expected);
    }

    @Test
    void concatAndRepLikeLuaJit() throws Exception {
        assertThat(eval("return table.concat({1, 2.5, 'x', 1/3}, ',')"))
                .isEqualTo("1,2.5,x,0.33333333333333");
        assertThat(eval("return table.concat({1, 2, 3}, '-', 2)")).isEqualTo("2-3");
        assertThat(eval("return string.rep('ab', 3, ',')")).isEqualTo("ab,ab,ab");
        assertThat(eval("return '[' .. string.rep('x', -1) .. ']'")).isEqualTo("[]");
        assertThatThrownBy(() -> eval("return table.concat({1, {}, 3})"))
                .hasMessageContaining("invalid value (table) at index 2 in table for 'concat'");
    }

    @Test
    void pcallMessagesUseLuasPositionForm() throws Exception {
        assertThat(eval("return select(2, pcall(function() error('boom') end))"))
                .startsWith("[string \"return tostring((function() return")
                .endsWith("...\"]:1: boom");
        assertThat(eval("return select(2, loadstring('x = = 1', 'chunk'))"))
                .startsWith("[string \"chunk\"]:1:");
        assertThat(
                        eval(
                                "return select(2, pcall(loadstring('local t = nil\\nreturn t.x', '=mine')))"))
                .isEqualTo("mine:2: attempt to index ? (a nil value)");
        assertThat(
                        eval(
                                "return select(2, xpcall(function() error('x') end,"
                                        + " function(m) return 'handled: ' .. m end))"))
                .startsWith("handled: [string")
                .contains("]:1: x");
        assertThat(eval("return type(select(2, pcall(error, {code = 1})))")).isEqualTo("table");
    }

    @Test
    void printUsesLuaJitNumberFormatting() throws Exception {
        assertThat(
                        eval(
                                "return tostring(setmetatable({}, {__tostring = function() return 'T' end}))"))
                .isEqualTo("T");
    }
}
