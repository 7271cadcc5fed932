package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
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

    @Test
    void aLocalRunIsSizedForOneSensorByDefault() {
        Configuration conf = new Configuration();

        LocalModeOptions.sizeForOneSensor(conf);

        assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MIN))
                .isEqualTo(MemorySize.parse("16mb"));
        assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX))
                .isEqualTo(MemorySize.parse("16mb"));
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.ZERO);
        assertThat(conf.get(StreamFormat.FETCH_IO_SIZE)).isEqualTo(MemorySize.parse("128kb"));
        // what the buffers are counted in: 128 buffers of Main's segment size
        assertThat(LocalModeOptions.NETWORK_MEMORY.getBytes() / Main.NETWORK_BUFFER_SIZE.getBytes())
                .isEqualTo(128);
    }

    @Test
    void whatTheUserSetsForABiggerRunWins() {
        // as Main reads --key=value options: strings, one of the pair only
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.network.max", "256mb");
        conf.setString("taskmanager.memory.managed.size", "512mb");
        conf.setString("source.file.stream.io-fetch-size", "4mb");

        LocalModeOptions.sizeForOneSensor(conf);

        assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX))
                .isEqualTo(MemorySize.parse("256mb"));
        assertThat(conf.contains(TaskManagerOptions.NETWORK_MEMORY_MIN))
                .as("left to Flink's default, not pinned below the user's max")
                .isFalse();
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.parse("512mb"));
        assertThat(conf.get(StreamFormat.FETCH_IO_SIZE)).isEqualTo(MemorySize.parse("4mb"));

        Configuration onlyMin = new Configuration();
        onlyMin.setString("taskmanager.memory.network.min", "128mb");
        LocalModeOptions.sizeForOneSensor(onlyMin);
        assertThat(onlyMin.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)).isFalse();
    }
}
