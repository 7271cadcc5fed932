package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.dragonflymle.graph.JobGenerator;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a config.lua with a tail:// input turns into, before anything runs. */
class TailConfigTest {

    private static final String SAMPLE_URI = "file://../data/eve-sample.jsonl";

    @TempDir Path dir;

    private PipelineSpec load(String uri, String extra) throws ConfigException {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, SAMPLE_URI, uri);
        TestRoots.appendConfig(root, extra);
        return ConfigLoader.load(root, dir.resolve("logs"));
    }

    @Test
    void theSourceIsBuiltFromTheResolvedPathAndItsParameters() throws Exception {
        PipelineSpec spec = load("tail://../data/eve.json?start=beginning&poll=50ms", "");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        new JobGenerator(spec, new Connectors(spec), null).generate(env);

        TailSource source =
                env.getTransformations().stream()
                        .flatMap(t -> t.getTransitivePredecessors().stream())
                        .filter(t -> t instanceof SourceTransformation<?, ?, ?>)
                        .map(t -> (TailSource) ((SourceTransformation<?, ?, ?>) t).getSource())
                        .findFirst()
                        .orElseThrow();
        assertThat(source.path()).isEqualTo(dir.resolve("data/eve.json").toString());
        assertThat(source.startPosition()).isEqualTo(StartPosition.BEGINNING);
        assertThat(source.pollInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aBadTailParameterIsRefusedNamingTheEntry() throws Exception {
        PipelineSpec spec = load("tail:///var/log/eve.json?start=middle", "");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        assertThatThrownBy(() -> new JobGenerator(spec, new Connectors(spec), null).generate(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.lua")
                .hasMessageContaining("inputs[1]")
                .hasMessageContaining("start=end or start=beginning");
    }
}
