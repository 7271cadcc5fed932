package org.dragonflymle.testutils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;

/**
 * The engine's job for a Dragonfly root, running in a local MiniCluster in the background; a socket
 * input never ends, so {@link #close()} cancels it. Built the way the launcher builds it (config
 * loader, job generator, connectors), with the launcher's Flink settings.
 */
public final class RunningEngine implements AutoCloseable {

    private final JobClient client;

    private RunningEngine(JobClient client) {
        this.client = client;
    }

    /** Starts the job of {@code root}, logs in {@code logDir}, with extra Flink settings. */
    public static RunningEngine start(Path root, Path logDir, Configuration extra)
            throws Exception {
        PipelineSpec spec = ConfigLoader.load(root, logDir);
        Configuration conf = new Configuration(extra);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        return new RunningEngine(env.executeAsync("dragonfly-mle " + root));
    }

    public JobID jobId() {
        return client.getJobID();
    }

    /** Cancels the job and waits until it is gone (its sockets closed and removed). */
    @Override
    public void close() throws Exception {
        client.cancel().get(60, TimeUnit.SECONDS);
        client.getJobExecutionResult()
                .handle((r, e) -> null) // a cancelled job completes exceptionally
                .get(60, TimeUnit.SECONDS);
    }
}
