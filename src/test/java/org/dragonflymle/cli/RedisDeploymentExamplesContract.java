package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled examples, unchanged but for config.lua's Redis settings, run by the launcher against
 * a real Redis deployment other than one server: {@link RedisClusterExamplesITCase} (3 masters, 3
 * replicas) and {@link RedisSentinelExamplesITCase} (a master and a replica behind three
 * Sentinels). Scripts do not change: what they store is where it belongs and counts exactly.
 */
abstract class RedisDeploymentExamplesContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** config.lua lines that point at the deployment. */
    abstract String redisConfig();

    /** The value of a string key, or null. */
    abstract String get(String key);

    /** The fields of a hash key (a stored model). */
    abstract Map<String, String> hash(String key);

    Path logs() {
        return dir.resolve("logs");
    }

    /**
     * examples/NAME with its redis_host/redis_port lines replaced by the deployment's, and the
     * bundled sample input next to it (where its config.lua reads it).
     */
    Path example(String name) {
        Path root = TestRoots.copyExample(name, dir);
        TestRoots.writeLines(
                dir.resolve("data/eve-sample.jsonl"),
                TestRoots.readLines(TestRoots.examples().resolve("data/eve-sample.jsonl")));
        Path config = root.resolve("config/config.lua");
        try {
            String text = Files.readString(config).replaceAll("(?m)^redis_(host|port)\\s*=.*$", "");
            Files.writeString(config, text + "\n" + redisConfig());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return root;
    }

    private static Map<String, Long> countsByType(List<String> lines) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            counts.merge(JSON.readTree(line).get("event_type").asText(), 1L, Long::sum);
        }
        return counts;
    }

    private void assertCounted(List<String> input) throws Exception {
        Map<String, Long> expected = countsByType(input);
        assertThat(expected).hasSizeGreaterThan(5);
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(get("dragonfly:event_type:" + e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(String.valueOf(e.getValue()));
        }
    }

    private static void assertNoErrors(Path logs) {
        assertThat(logs.resolve("dragonfly-errors.log"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void helloWorldCountsEveryEventTypeExactly() throws Exception {
        Path root = example("hello-world");
        List<String> input = TestRoots.readLines(dir.resolve("data/eve-sample.jsonl"));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).doesNotContain("started redis-server");
        assertThat(TestRoots.readLines(logs().resolve("hello-world-events.json")))
                .containsExactlyInAnyOrderElementsOf(input);
        assertCounted(input);
        assertNoErrors(logs());
    }

    /** Four keyed instances, each with its own connection, INCR the same counters together. */
    @Test
    void helloWorldKeyedOverFourInstancesCountsExactly() throws Exception {
        Path root = example("hello-world");
        TestRoots.editConfig(
                root,
                "script=\"event-type-counter.lua\",",
                "script=\"event-type-counter.lua\", key=\"src_ip\", parallelism=4,");
        List<String> input = EveSamples.devLines();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(logs().resolve("hello-world-events.json")))
                .hasSameSizeAs(input);
        assertCounted(input);
        assertNoErrors(logs());
    }

    @Test
    void theKeyedStateExampleRunsUnchanged() throws Exception {
        Path root = example("keyed-state");
        List<String> input = TestRoots.readLines(dir.resolve("data/eve-sample.jsonl"));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(logs().resolve("keyed-state-events.json"));
        assertThat(output).hasSameSizeAs(input);
        Map<String, Long> last = new HashMap<>();
        for (String line : output) {
            JsonNode e = JSON.readTree(line);
            String host = e.path("src_ip").asText("");
            last.merge(host, e.get("host_events").asLong(), Math::max);
        }
        Map<String, Long> expected = new HashMap<>();
        for (String line : input) {
            expected.merge(JSON.readTree(line).path("src_ip").asText(""), 1L, Long::sum);
        }
        assertThat(last).isEqualTo(expected);
    }

    /** The models live in Redis under their keys, loaded by three instances at once. */
    @Test
    void dgaScoresEveryDnsEventWithItsModelsInRedis() throws Exception {
        Path root = example("dga");
        TestRoots.editConfig(
                root,
                "script=\"dga.lua\",",
                "script=\"dga.lua\", parallelism=3, key=\"dns.rrname\",");
        List<String> input = EveSamples.devLines();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);
        long dns = input.stream().filter(l -> l.contains("\"event_type\":\"dns\"")).count();

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(logs().resolve("dga-scored.json"));
        assertThat(output).hasSize((int) dns);
        Map<String, Double> scores = new HashMap<>();
        for (String line : output) {
            JsonNode event = JSON.readTree(line);
            JsonNode dga = event.get("analytics").get("dga");
            assertThat(dga.get("score").asDouble()).isBetween(0.0, 1.0);
            Double before =
                    scores.put(
                            event.get("dns").get("rrname").asText(), dga.get("score").asDouble());
            if (before != null) {
                assertThat(dga.get("score").asDouble()).isEqualTo(before);
            }
        }
        String model = Files.readString(root.resolve("analyzer/dga-model.txt"));
        String forestKey =
                model.lines()
                        .filter(l -> l.startsWith("ML.FOREST.ADD"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[1];
        String logregKey =
                model.lines()
                        .filter(l -> l.startsWith("ML.LOGREG.SET"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[1];
        assertThat(hash(forestKey)).containsEntry("type", "forest").containsEntry("trees", "25");
        assertThat(hash(logregKey)).containsEntry("type", "regression");
        assertNoErrors(logs());
    }
}
