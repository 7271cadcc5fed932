package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The local run's MiniCluster started ahead (while config.lua is read and the job built): with a
 * slot per CPU, replaced by a larger one for a wider pipeline, and left to close itself when the
 * run ends before its first job.
 */
class LocalClusterITCase {

    private static final String START_THREAD = "dragonfly: start the MiniCluster";

    @Test
    void aPipelineWiderThanTheClusterStartedAheadRunsInALargerOne() throws Exception {
        Configuration conf = new Configuration();
        try (LocalCluster cluster = new LocalCluster(conf)) {
            cluster.startAhead(1);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(3);
            env.fromSequence(1, 3_000).map(n -> n * 2).sinkTo(new DiscardingSink<>());
            JobClient job = cluster.submit(env, "wider", new Configuration());
            job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
        }
    }

    @Test
    void aRunThatEndsBeforeItsFirstJobLeavesNoClusterBehind() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, Integer.toString(port));
        LocalCluster cluster = new LocalCluster(conf);
        cluster.startAhead(1);
        cluster.close(); // as after a config.lua error: the cluster is still starting

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (startThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(startThreadAlive()).as("the start finished").isFalse();
        // the cluster it started is closed: its REST endpoint's port is free again
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    private static boolean startThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(START_THREAD) && t.isAlive());
    }
}
