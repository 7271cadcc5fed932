package org.dragonflymle.connector.socket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad socket option stops the job before it starts, naming the file, the entry and the option.
 */
class SocketConfigErrorTest {

    @TempDir Path dir;

    private void generate(String input, String output) throws ConfigException {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, "file://../data/eve-sample.jsonl", input);
        TestRoots.editConfig(root, "file://passthrough.json", output);
        PipelineSpec spec = ConfigLoader.load(root, dir.resolve("logs"));
        new JobGenerator(spec, new Connectors(spec), null)
                .generate(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    @Test
    void anUnknownInputOptionIsAConfigError() {
        assertThatThrownBy(() -> generate("ipc:///tmp/e.sock?bufer=10", "file://out.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.lua")
                .hasMessageContaining("inputs[1]")
                .hasMessageContaining("unknown option \"bufer\"");
    }

    @Test
    void anOptionOnAnOutputIsAConfigError() {
        assertThatThrownBy(() -> generate("ipc:///tmp/e.sock", "unix:///tmp/o.sock?buffer=5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outputs[1]")
                .hasMessageContaining("outputs take no options");
    }
}
