package org.dragonflymle.lua.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what LuaJIT 2.1 prints (ties round away from zero, unlike glibc). */
class LuaNumberFormatTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.3333333333333333|0.33333333333333",
                "0.1|0.1",
                "3.0|3",
                "-0.0|-0",
                "123456.789|123456.789",
                "1e20|1e+20",
                "1e100|1e+100",
                "-1e-7|-1e-07",
                "4.9e-324|4.9406564584125e-324",
                "2090564295433925|2090564295433925",
                "9.223372036854775807e18|9.2233720368548e+18",
                "1.4142135623730951|1.4142135623731",
                "100000000000000.5|1e+14",
                "NaN|nan",
                "Infinity|inf",
                "-Infinity|-inf"
            })
    void tostringWritesLikeLuaJit(double v, String expected) {
        assertThat(LuaNumberFormat.toString(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "e|12345.6789|6|1.234568e+04",
                "E|0.00012|3|1.200E-04",
                "g|100000|6|100000",
                "g|1000000|6|1e+06",
                "g|0.0001|6|0.0001",
                "g|0.00001|6|1e-05",
                "g|3.14159|3|3.14",
                "G|1e-10|6|1E-10",
                "g|0|6|0",
                "g|9.9999999|3|10",
                "f|2.5|0|3",
                "f|3.5|0|4",
                "f|-0.0005|3|-0.001",
                "f|0.125|2|0.13",
                "f|0.3333333333333333|10|0.3333333333",
                "e|0|2|0.00e+00"
            })
    void formatsLikeC(char conversion, double v, int precision, String expected) {
        assertThat(LuaNumberFormat.format(conversion, v, precision, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"g|1.5|6|1.50000", "f|2|0|2."})
    void alternateFormKeepsZerosAndPoint(
            char conversion, double v, int precision, String expected) {
        assertThat(LuaNumberFormat.format(conversion, v, precision, true)).isEqualTo(expected);
    }
}
