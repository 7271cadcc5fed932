package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.os.CpuAffinity;
import org.junit.jupiter.api.Test;

class LocalModeOptionsTest {

    private static int redisCpu(String value) throws UsageException {
        Configuration conf = new Configuration();
        if (value != null) {
            conf.set(LocalModeOptions.REDIS_CPU, value);
        }
        return LocalModeOptions.redisCpu(conf);
    }

    @Test
    void redisRunsUnpinnedUnlessAsked() throws Exception {
        assertThat(redisCpu(null)).isEqualTo(-1);
        assertThat(redisCpu("off")).isEqualTo(-1);
    }

    @Test
    void lastIsTheLastCpuThisProcessMayUseWhenThereAreSeveral() throws Exception {
        BitSet own = CpuAffinity.ofThisProcess().orElse(new BitSet());
        int expected = own.cardinality() > 1 ? own.length() - 1 : -1;
        assertThat(redisCpu("last")).isEqualTo(expected);
    }

    @Test
    void aCpuNumberMustBeOneThisProcessMayUse() throws Exception {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        assertThat(redisCpu(Integer.toString(own.nextSetBit(0)))).isEqualTo(own.nextSetBit(0));
        assertThatThrownBy(() -> redisCpu(Integer.toString(own.length() + 64)))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("dragonfly.local.redis-cpu")
                .hasMessageContaining("not a CPU this process may use");
        assertThatThrownBy(() -> redisCpu("-3")).isInstanceOf(UsageException.class);
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"first", "1,2", "", "on"}) {
            assertThatThrownBy(() -> redisCpu(bad))
                    .as(bad)
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("--dragonfly.local.redis-cpu=")
                    .hasMessageContaining("off, last or a CPU number");
        }
    }
}
