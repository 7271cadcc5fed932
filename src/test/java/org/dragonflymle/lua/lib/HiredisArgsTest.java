package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

class HiredisArgsTest {

    /** Expected values are C's printf("%.14g"), i.e. what LuaJIT's tostring prints. */
    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1",
        "0.3333333333333333, 0.33333333333333",
        "3.14159265358979, 3.1415926535898",
        "1e300, 1e+300",
        "1e-5, 1e-05",
        "123456789012345.6, 1.2345678901235e+14",
        "0.0001, 0.0001",
        "-2.5, -2.5",
        "9.223372036854776e18, 9.2233720368548e+18",
        "0.017986209962091559, 0.017986209962092",
        "4.9e-324, 4.9406564584125e-324",
        "1.7976931348623157e308, 1.7976931348623e+308",
        "99999999999999.95, 1e+14",
        "1000000000000000.5, 1e+15",
        "12345.678, 12345.678"
    })
    void fractionalNumbersPrintLikeLua(double value, String expected) {
        assertThat(text(HiredisArgs.number(value))).isEqualTo(expected);
    }

    @Test
    void integralNumbersPrintInFull() {
        assertThat(text(HiredisArgs.number(2090564295433925.0))).isEqualTo("2090564295433925");
        assertThat(text(HiredisArgs.number(-3.0))).isEqualTo("-3");
        assertThat(text(HiredisArgs.number(1e100))).isEqualTo("1e+100");
        assertThat(text(HiredisArgs.number(Double.NaN))).isEqualTo("nan");
        assertThat(text(HiredisArgs.number(Double.NEGATIVE_INFINITY))).isEqualTo("-inf");
    }

    @Test
    void stringsArePassedWithoutACopyWhenTheyFillTheirArray() {
        LuaString key = LuaValue.valueOf("counter");
        List<byte[]> args =
                new HiredisArgs()
                        .fromVarargs(
                                LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("INCR"), key), 2);
        assertThat(args.get(1)).isSameAs(key.m_bytes);

        LuaString sub = LuaValue.valueOf("xxcounter").substring(2, 9);
        assertThat(text(HiredisArgs.toBytes(sub))).isEqualTo("counter");
    }

    @Test
    void theArgumentListIsReused() {
        HiredisArgs converter = new HiredisArgs();
        List<byte[]> first = converter.fromLine(LuaValue.valueOf("GET a"));
        List<byte[]> second = converter.fromLine(LuaValue.valueOf("SET b c"));
        assertThat(second).isSameAs(first).hasSize(3);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
