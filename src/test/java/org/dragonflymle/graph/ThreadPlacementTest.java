package org.dragonflymle.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stages share a thread (a Flink task) in the generated job. */
class ThreadPlacementTest {

    @TempDir Path dir;

    /** The names of the tasks of the example's job, one per thread, e.g. "Source: ... -> eve". */
    private List<String> tasks(String example) throws Exception {
        Path root = TestRoots.copyExample(example, dir);
        PipelineSpec spec = ConfigLoader.load(root, dir.resolve("logs"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        return StreamSupport.stream(
                        env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }

    @Test
    void anAnalyzerThatCallsRedisRunsApartFromTheInputThatFeedsIt() throws Exception {
        List<String> tasks = tasks("hello-world");

        assertThat(tasks).anyMatch(t -> t.startsWith("Source: source:eve") && t.endsWith("eve"));
        assertThat(tasks).contains("counter");
    }

    @Test
    void anAnalyzerThatOnlyComputesSharesItsInputsThread() throws Exception {
        List<String> tasks = tasks("passthrough");

        assertThat(tasks).anyMatch(t -> t.startsWith("Source: source:eve") && t.contains("pass"));
        assertThat(tasks).doesNotContain("pass");
    }
}
