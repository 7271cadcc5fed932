package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.KafkaBroker;
import org.dragonflymle.testutils.KafkaBrokerExtension;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker is not there when the job starts, or goes away while it runs: the job waits,
 * says so in one clear line, and once the broker is back every event arrives exactly once.
 */
class KafkaBrokerOutageITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static MiniCluster flink;

    @TempDir Path dir;

    @BeforeAll
    static void startFlink() throws Exception {
        flink = EngineJob.startCluster();
    }

    @AfterAll
    static void stopFlink() throws Exception {
        flink.close();
    }

    private KafkaBroker broker() {
        return KAFKA.broker();
    }

    private Path root(String in, String out) {
        Path root = TestRoots.copyExample("passthrough", dir);
        String kafka = "kafka://" + broker().bootstrapServers() + "/";
        TestRoots.editConfig(
                root, "uri=\"file://../data/eve-sample.jsonl\"", "uri=\"" + kafka + in + "\"");
        TestRoots.editConfig(
                root, "uri=\"file://passthrough.json\"", "uri=\"" + kafka + out + "\"");
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.appendConfig(root, "checkpoint = { interval = \"1s\" }");
        return root;
    }

    @Test
    void aJobStartedWhileKafkaIsDownWaitsSaysSoAndDeliversOnceItIsUp() throws Exception {
        List<String> input = EveSamples.devLines().subList(0, 500);
        broker().createTopic("start-in", 1);
        broker().createTopic("start-out", 1);
        broker().produce("start-in", input);
        Path root = root("start-in?group=start&bounded=latest", "start-out");
        Path log = dir.resolve("logs/dragonfly-mle.log");
        broker().stop();

        CompletableFuture<Launcher.Result> run =
                CompletableFuture.supplyAsync(() -> Launcher.run(root, dir.resolve("logs")));
        String waitingIn =
                "kafka input eve ("
                        + broker().bootstrapServers()
                        + "/start-in): waiting for Kafka: no broker answers at "
                        + broker().bootstrapServers();
        String waitingOut =
                "kafka output out ("
                        + broker().bootstrapServers()
                        + "/start-out): waiting for Kafka: no broker answers at "
                        + broker().bootstrapServers();
        awaitText(log, waitingIn, Duration.ofSeconds(60));
        awaitText(log, waitingOut, Duration.ofSeconds(60));
        Thread.sleep(3000); // still waiting, not failing
        assertThat(run).isNotDone();
        broker().start();

        Launcher.Result result = run.get(2, TimeUnit.MINUTES);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(broker().readCommitted("start-out")).isEqualTo(input);
        String text = Files.readString(log);
        // one line each, not one per retry
        assertThat(count(text, waitingIn)).isEqualTo(1);
        assertThat(count(text, waitingOut)).isEqualTo(1);
        assertThat(text).contains("Kafka answers after");
    }

    @Test
    void aBrokerKilledMidStreamLosesAndRepeatsNothingAndIsReportedOnce() throws Exception {
        List<String> input = EveSamples.devLines();
        List<String> before = input.subList(0, 2000);
        List<String> after = input.subList(2000, input.size());
        broker().createTopic("mid-in", 2);
        broker().createTopic("mid-out", 2);
        Path root = root("mid-in?group=mid", "mid-out");

        try (RedisLogCapture watch = RedisLogCapture.of(BrokerAwaitingEnumerator.class);
                EngineJob job =
                        EngineJob.start(flink, root, dir.resolve("logs"), Duration.ofMillis(500))) {
            broker().produce("mid-in", before);
            broker().awaitCommitted(
                            "mid-out", out -> out.size() == before.size(), Duration.ofSeconds(60));

            broker().kill();
            Thread.sleep(2 * BrokerAwaitingEnumerator.WATCH_INTERVAL.toMillis());
            broker().start();
            broker().produce("mid-in", after);

            List<String> output =
                    broker().awaitCommitted(
                                    "mid-out",
                                    out -> out.size() >= input.size(),
                                    Duration.ofSeconds(120));
            assertThat(output).containsExactlyInAnyOrderElementsOf(input);
            Thread.sleep(2000);
            assertThat(broker().readCommitted("mid-out")).hasSameSizeAs(input);

            List<String> lines = watch.lines();
            assertThat(lines.stream().filter(l -> l.contains("lost Kafka")))
                    .singleElement()
                    .asString()
                    .startsWith("WARN kafka input eve (")
                    .contains("no broker answers at " + broker().bootstrapServers());
            assertThat(lines.stream().filter(l -> l.contains("Kafka answers again"))).hasSize(1);
        }
    }

    private static void awaitText(Path file, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no \""
                                + text
                                + "\" in "
                                + file
                                + (Files.exists(file) ? ":\n" + Files.readString(file) : ""));
            }
            Thread.sleep(200);
        }
    }

    private static long count(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }
}
