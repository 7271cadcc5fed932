package org.dragonflymle.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.dragonflymle.format.PrintfFloat.Ties;
import org.junit.jupiter.api.Test;

/** The two tie rules: glibc's (Redis-ML replies) and LuaJIT's (everything Lua prints). */
class PrintfFloatTiesTest {

    @Test
    void exactTiesFollowTheCallersRule() {
        // 2^-25 = 2.98023223876953125e-08 has 18 significant digits: a tie at 17
        double v = 0x1p-25;
        assertThat(PrintfFloat.g(v, 17, Ties.EVEN)).isEqualTo("2.9802322387695312e-08");
        assertThat(PrintfFloat.g(v, 17, Ties.AWAY_FROM_ZERO)).isEqualTo("2.9802322387695313e-08");
        // LuaJIT: print(12345678901234.5) is 12345678901235; glibc's %.14g says ...34
        assertThat(PrintfFloat.g(12345678901234.5, 14, Ties.AWAY_FROM_ZERO))
                .isEqualTo("12345678901235");
        assertThat(PrintfFloat.g(12345678901234.5, 14)).isEqualTo("12345678901234");
        assertThat(PrintfFloat.g(-0.25, 1, Ties.AWAY_FROM_ZERO)).isEqualTo("-0.3");
        // the slow paths: %f and %e
        assertThat(PrintfFloat.format('f', 2.5, 0, false, Ties.AWAY_FROM_ZERO)).isEqualTo("3");
        assertThat(PrintfFloat.format('f', 2.5, 0, false)).isEqualTo("2");
        assertThat(PrintfFloat.format('e', 0.125, 1, false, Ties.AWAY_FROM_ZERO))
                .isEqualTo("1.3e-01");
    }
}
