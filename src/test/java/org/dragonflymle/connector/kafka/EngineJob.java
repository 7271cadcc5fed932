package org.dragonflymle.connector.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;

/**
 * The engine's job for a Dragonfly root (config.lua, scripts), built by the same loader, generator
 * and connectors as the launcher, but submitted to the test's MiniCluster and left running: a test
 * can then kill a TaskManager or the broker under it and cancel it at the end, which a launcher run
 * (blocking until a bounded job ends) cannot.
 */
final class EngineJob implements AutoCloseable {

    private final JobClient client;

    private EngineJob(JobClient client) {
        this.client = client;
    }

    /**
     * Starts the job with checkpoints every {@code checkpointInterval} and a restart strategy that
     * recovers from the latest checkpoint after a failure.
     */
    static EngineJob start(MiniCluster cluster, Path root, Path logDir, Duration checkpointInterval)
            throws Exception {
        PipelineSpec spec = ConfigLoader.load(root, logDir);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env =
                new TestStreamEnvironment(cluster, conf, 1, List.of(), List.of());
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        return new EngineJob(env.executeAsync("dragonfly-mle " + root));
    }

    /**
     * A MiniCluster of one TaskManager for {@link #start} (Flink's MiniClusterExtension needs JUnit
     * 4, which this project leaves out).
     */
    static MiniCluster startCluster() throws Exception {
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                // any free port: 8081 may be taken by a dashboard or a cluster
                                .setConfiguration(restOnAnyPort())
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
        return cluster;
    }

    private static org.apache.flink.configuration.Configuration restOnAnyPort() {
        org.apache.flink.configuration.Configuration conf =
                new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.RestOptions.BIND_PORT, "0");
        conf.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "127.0.0.1");
        return conf;
    }

    JobID id() {
        return client.getJobID();
    }

    /** Whether the job went through RESTARTING at least once. */
    boolean restarted(MiniCluster cluster) throws Exception {
        return cluster.getExecutionGraph(id()).get().getStatusTimestamp(JobStatus.RESTARTING) > 0;
    }

    JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    @Override
    public void close() throws Exception {
        if (!status().isGloballyTerminalState()) {
            client.cancel().get();
        }
    }
}
