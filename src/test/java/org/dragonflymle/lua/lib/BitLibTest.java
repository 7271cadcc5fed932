package org.dragonflymle.lua.lib;

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

/** Expected values are LuaJIT 2.1's. */
class BitLibTest {

    @TempDir Path tmp;
    private ScriptHost lua;

    @BeforeEach
    void start() throws Exception {
        lua = new ScriptFixture(tmp).evaluator();
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '"',
            value = {
                "bit.tobit(0xffffffff) == -1 => true",
                "bit.tohex(-1) => ffffffff",
                "bit.tohex(255, -4) => 00FF",
                "bit.rshift(-1, 28) => 15",
                "bit.arshift(-256, 4) => -16",
                "bit.bswap(0x12345678) == 0x78563412 => true",
                "bit.rol(0x12345678, 12) == 0x45678123 => true",
                "bit.ror(0x12345678, 12) == 0x67812345 => true",
                "bit.ror(1, 1) => -2147483648",
                "bit.tobit(1.5) => 2",
                "bit.tobit(2.5) => 2",
                "bit.tobit(-1.5) => -2",
                "bit.tobit(2^32 + 5) => 5",
                "bit.tobit(2^64) => 0",
                "bit.tobit(0/0) => 0",
                "bit.tobit(-2^31 - 1) => 2147483647",
                "bit.tohex(255, 0) => \"\"",
                "bit.tohex(255, 9) => 0000000ff",
                "bit.tohex(-1, 16) => 00000000ffffffff",
                "bit.tohex(0x12345678, 3) => 678",
                "bit.tohex(-256, -10) => 00FFFFFF00",
                "bit.bnot(0) => -1",
                "bit.band(0xff, 0x0f, 0x3) => 3",
                "bit.bor(1) => 1",
                "bit.bor(1, 2, 4) => 7",
                "bit.bxor(1, 2, 4, 8) => 15",
                "bit.band('3', 1) => 1",
                "bit.lshift(1, 31) => -2147483648",
                "bit.lshift(1, 33) => 2",
                "bit.rshift(1, -1) => 0",
                "bit.arshift(-1, 40) => -1",
                "bit.rshift(0x80000000, 31) => 1",
                "require('bit') == bit => true"
            })
    void behavesLikeLuaJit(String expr, String expected) throws ScriptException {
        assertThat(evalString(lua, "return " + expr)).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void missingOrNonNumericArgumentsAreLuaErrors() {
        assertThatThrownBy(() -> evalString(lua, "return bit.band()"))
                .hasMessageContaining("bad argument #1 to 'band' (number expected, got no value)");
        assertThatThrownBy(() -> evalString(lua, "return bit.bor(1, {})"))
                .hasMessageContaining("bad argument #2 to 'bor' (number expected, got table)");
        assertThatThrownBy(() -> evalString(lua, "return bit.lshift(1)"))
                .hasMessageContaining("bad argument #2 to 'lshift'");
    }

    @Test
    void javaHelpersMatchTheModule() {
        assertThat(BitLib.tobit(4294967295.0)).isEqualTo(-1);
        assertThat(BitLib.tohex(-1, 8)).isEqualTo("ffffffff");
        assertThat(BitLib.tohex(255, -4)).isEqualTo("00FF");
    }
}
