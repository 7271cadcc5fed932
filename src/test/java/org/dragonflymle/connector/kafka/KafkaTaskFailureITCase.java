package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.KafkaBroker;
import org.dragonflymle.testutils.KafkaBrokerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka → engine → kafka survives losing the TaskManager that runs it while events flow: the job
 * restarts from its last checkpoint, rereads from the checkpointed offsets, and what the lost
 * writer had not committed is aborted, so a read_committed consumer of the output sees every input
 * event exactly once (contents compared, not only counts).
 */
class KafkaTaskFailureITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static MiniCluster flink;

    @BeforeAll
    static void startFlink() throws Exception {
        flink = EngineJob.startCluster();
    }

    @AfterAll
    static void stopFlink() throws Exception {
        flink.close();
    }

    @TempDir Path dir;

    @Test
    void aTaskManagerLostMidStreamCostsNoEventAndRepeatsNone() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.createTopic("tm-in", 2);
        broker.createTopic("tm-out", 2);
        Path root = TestRoots.copyExample("passthrough", dir);
        String kafka = "kafka://" + broker.bootstrapServers() + "/";
        TestRoots.editConfig(
                root,
                "uri=\"file://../data/eve-sample.jsonl\"",
                "uri=\"" + kafka + "tm-in?group=tm\"");
        TestRoots.editConfig(
                root, "uri=\"file://passthrough.json\"", "uri=\"" + kafka + "tm-out\"");
        List<String> input = EveSamples.devLines();

        try (EngineJob job =
                EngineJob.start(flink, root, dir.resolve("logs"), Duration.ofMillis(500))) {
            // events keep arriving while the TaskManager goes away
            CompletableFuture<Void> feeder =
                    CompletableFuture.runAsync(() -> feed(broker, "tm-in", input));
            broker.awaitCommitted("tm-out", out -> out.size() >= 1000, Duration.ofSeconds(60));

            flink.terminateTaskManager(0).get();
            flink.startTaskManager();

            feeder.get();
            List<String> output =
                    broker.awaitCommitted(
                            "tm-out", out -> out.size() >= input.size(), Duration.ofSeconds(90));
            assertThat(output).containsExactlyInAnyOrderElementsOf(input);
            assertThat(job.restarted(flink)).as("the job restarted").isTrue();
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);

            // transactions still open at the failure were aborted, not committed late
            Thread.sleep(2000);
            assertThat(broker.readCommitted("tm-out")).hasSameSizeAs(input);
        }
    }

    private static void feed(KafkaBroker broker, String topic, List<String> lines) {
        for (int i = 0; i < lines.size(); i += 200) {
            broker.produce(topic, lines.subList(i, Math.min(lines.size(), i + 200)));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
