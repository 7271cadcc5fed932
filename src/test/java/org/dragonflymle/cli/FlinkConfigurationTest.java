package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

/** The Flink settings every job starts from, and the user's --key=value over them. */
class FlinkConfigurationTest {

    @Test
    void eventsLeaveWithinMillisecondsAndGenericTypesAreOff() throws Exception {
        Configuration conf =
                Main.flinkConfiguration(LaunchOptions.parse(new String[] {"-r", "/tmp/root"}));
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(5));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
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
