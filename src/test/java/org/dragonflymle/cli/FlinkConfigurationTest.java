package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

/** The Flink settings every job starts from, and the user's --key=value over them. */
class FlinkConfigurationTest {

    @Test
    void eventsLeaveWithinMillisecondsAndGenericTypesAreOff() throws Exception {
        Configuration conf =
                Main.flinkConfiguration(LaunchOptions.parse(new String[] {"-r", "/tmp/root"}));
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(5));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE))
                .isEqualTo(MemorySize.parse("128kb"));
    }

    @Test
    void theCommandLineOverridesTheBufferSize() throws Exception {
        Configuration conf =
                Main.flinkConfiguration(
                        LaunchOptions.parse(
                                new String[] {
                                    "-r", "/tmp/root", "--taskmanager.memory.segment-size=32kb"
                                }));
        assertThat(conf.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE))
                .isEqualTo(MemorySize.parse("32kb"));
    }

    @Test
    void theCommandLineOverridesTheBufferTimeout() throws Exception {
        Configuration conf =
                Main.flinkConfiguration(
                        LaunchOptions.parse(
                                new String[] {
                                    "-r", "/tmp/root", "--execution.buffer-timeout.interval=100ms"
                                }));
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(100));
    }
}
