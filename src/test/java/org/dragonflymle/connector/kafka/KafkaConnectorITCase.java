package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.KafkaBroker;
import org.dragonflymle.testutils.KafkaBrokerExtension;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka:// in and out as a user runs it: the launcher's entry point on the passthrough example, a
 * real MiniCluster, a real Kafka broker, real Suricata events.
 */
class KafkaConnectorITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    private KafkaBroker broker() {
        return KAFKA.broker();
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    /**
     * The passthrough example reading {@code in} and writing {@code out}, checkpointing every
     * second.
     */
    private Path root(String in, String out) {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, "uri=\"file://../data/eve-sample.jsonl\"", "uri=\"" + in + "\"");
        TestRoots.editConfig(root, "uri=\"file://passthrough.json\"", "uri=\"" + out + "\"");
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.appendConfig(root, "checkpoint = { interval = \"1s\" }");
        return root;
    }

    private String kafka(String topic, String query) {
        return "kafka://"
                + broker().bootstrapServers()
                + "/"
                + topic
                + (query.isEmpty() ? "" : "?" + query);
    }

    @Test
    void everyRealLineCrossesKafkaOnceUnchangedAndInOrder() {
        List<String> input = EveSamples.devLines();
        broker().createTopic("eve-in", 1);
        broker().createTopic("eve-out", 1);
        broker().produce("eve-in", input);

        Launcher.Result result =
                Launcher.run(
                        root(kafka("eve-in", "group=replay&bounded=latest"), kafka("eve-out", "")),
                        logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(broker().readCommitted("eve-out")).isEqualTo(input);
    }

    @Test
    void aSecondRunOfTheSameGroupStartsWhereTheFirstStopped() {
        List<String> lines = EveSamples.devLines();
        broker().createTopic("group-in", 1);
        broker().createTopic("group-out", 1);
        broker().produce("group-in", lines.subList(0, 300));
        Path root = root(kafka("group-in", "group=nightly&bounded=latest"), kafka("group-out", ""));

        Launcher.Result first = Launcher.run(root, logs());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        // the group's offsets reach Kafka asynchronously after a checkpoint: the first run's last
        // commit may be unsent when it ends; the second run must start exactly where it points
        TopicPartition in = new TopicPartition("group-in", 0);
        Long afterFirst = broker().committedOffsets("nightly").get(in);
        long start = afterFirst == null ? 0 : afterFirst;
        assertThat(start).as("group offset after the first run").isBetween(0L, 300L);
        broker().produce("group-in", lines.subList(300, 400));
        Launcher.Result second = Launcher.run(root, logs());

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        List<String> out = broker().readCommitted("group-out");
        assertThat(out.subList(0, 300)).as("the first run").isEqualTo(lines.subList(0, 300));
        assertThat(out.subList(300, out.size()))
                .as("the second run starts at the group's offset")
                .isEqualTo(lines.subList((int) start, 400));
        Long afterSecond = broker().committedOffsets("nightly").get(in);
        if (afterSecond != null) {
            assertThat(afterSecond).as("never past what was read").isBetween(start, 400L);
        }
    }

    @Test
    void clientPropertiesReachTheConsumerAndInputsReadCommittedByDefault() {
        List<String> lines = EveSamples.devLines();
        List<String> committedA = lines.subList(0, 3);
        List<String> aborted = lines.subList(3, 5);
        List<String> committedB = lines.subList(5, 8);
        broker().createTopic("iso-in", 1);
        broker().createTopic("iso-out", 1);
        broker().produce("iso-in", committedA);
        broker().produceAborted("iso-in", aborted);
        broker().produce("iso-in", committedB);
        // a second input on the same topic, reading uncommitted records too
        Path root = root(kafka("iso-in", "bounded=latest"), kafka("iso-out", ""));
        TestRoots.editConfig(
                root,
                "inputs = {",
                "inputs = {\n  { tag=\"raw\", uri=\""
                        + kafka("iso-in", "bounded=latest&isolation.level=read_uncommitted")
                        + "\", script=\"pass-filter.lua\", default_analyzer=\"pass\" },");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> expected = new ArrayList<>();
        expected.addAll(committedA);
        expected.addAll(committedB);
        expected.addAll(committedA);
        expected.addAll(aborted);
        expected.addAll(committedB);
        assertThat(broker().readCommitted("iso-out")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void saslSettingsPassThroughAndThePasswordStaysOutOfEveryLog() throws Exception {
        List<String> input = EveSamples.devLines().subList(0, 200);
        broker().createTopic("sasl-in", 1);
        broker().createTopic("sasl-out", 1);
        broker().produce("sasl-in", input);
        String sasl =
                "security.protocol=SASL_PLAINTEXT&sasl.mechanism=PLAIN&sasl.jaas.config="
                        + URLEncoder.encode(KafkaBroker.saslJaasConfig(), StandardCharsets.UTF_8)
                                .replace("+", "%20");
        String server = broker().saslBootstrapServers();
        Path root =
                root(
                        "kafka://" + server + "/sasl-in?group=sasl&bounded=latest&" + sasl,
                        "kafka://" + server + "/sasl-out?" + sasl);

        Launcher.Result result = Launcher.run(root, logs(), "-v");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(broker().readCommitted("sasl-out")).isEqualTo(input);
        assertThat(result.stderr()).doesNotContain(KafkaBroker.SASL_PASSWORD);
        // -v logs every client's configuration: the setting is there, its value masked
        assertThat(Files.readString(logs().resolve("dragonfly-mle.log")))
                .contains("sasl.jaas.config = [hidden]");
        try (Stream<Path> files = Files.walk(logs())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f))
                        .as(f.toString())
                        .doesNotContain(KafkaBroker.SASL_PASSWORD);
            }
        }
    }

    @Test
    void anInvalidClientPropertyStopsTheStartNamingTheEntryWithoutItsSecrets() {
        String jaas =
                "sasl.jaas.config="
                        + URLEncoder.encode(
                                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                                        + " password=\"hunter2-secret\";",
                                StandardCharsets.UTF_8);
        Path root = root(kafka("any-in", "group=g"), kafka("any-out", "acks=banana&" + jaas));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .contains("config.lua")
                .contains("outputs[1] (tag \"out\")")
                .contains("Invalid value banana for configuration acks")
                .doesNotContain("hunter2-secret");
    }

    @Test
    void aPropertyTheEngineSetsItselfIsRefusedWithTheWayToSayIt() {
        Path root = root(kafka("any-in", "group.id=g"), kafka("any-out", ""));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("inputs[1] (tag \"eve\")").contains("use group=ID");
    }
}
