package org.dragonflymle.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/dga as a user runs it: the launcher on the example root, a MiniCluster, a real
 * redis-server, real Suricata DNS events in, scored events out. The models reach Redis only through
 * the analyzer's ML.LOGREG.SET / ML.FOREST.ADD lines in setup().
 */
class DgaExampleITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path logs() {
        return dir.resolve("logs");
    }

    private Path example() {
        Path root = TestRoots.copyExample("dga", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        return root;
    }

    @Test
    void everyRealDnsEventGetsAScoreAndNothingElsePasses() throws Exception {
        Path root = example();
        List<String> input = EveSamples.devLines();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);
        long dns = input.stream().filter(l -> l.contains("\"event_type\":\"dns\"")).count();

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(dns).isEqualTo(351);
        List<String> output = TestRoots.readLines(logs().resolve("dga-scored.json"));
        assertThat(output).hasSize((int) dns);
        for (String line : output) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("event_type").asText()).isEqualTo("dns");
            JsonNode dga = event.get("analytics").get("dga");
            assertThat(dga.get("score").asDouble()).as(line).isBetween(0.0, 1.0);
            assertThat(dga.get("lr").asDouble()).isBetween(0.0, 1.0);
            assertThat(dga.get("rf").asDouble()).isBetween(0.0, 1.0);
            assertThat(dga.get("vote").asInt()).isIn(0, 1);
            assertThat(dga.get("class").asText()).isIn("dga", "benign");
            assertThat(dga.get("score").asDouble())
                    .isEqualTo((dga.get("lr").asDouble() + dga.get("rf").asDouble()) / 2);
            assertThat(event.get("dns").get("rrname").asText()).isNotNull();
        }
        assertThat(logs().resolve("dragonfly-errors.log"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
        assertThat(REDIS.jedis().keys("dga:*")).hasSize(2);
    }

    @Test
    void parallelInstancesLoadTheModelsTogetherAndScoreAlike() throws Exception {
        Path root = example();
        TestRoots.editConfig(
                root,
                "script=\"dga.lua\",",
                "script=\"dga.lua\", parallelism=3, key=\"dns.rrname\",");
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), EveSamples.devLines());

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(logs().resolve("dga-scored.json"));
        assertThat(output).hasSize(351);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String line : output) {
            JsonNode event = JSON.readTree(line);
            double score = event.get("analytics").get("dga").get("score").asDouble();
            Double before = scores.put(event.get("dns").get("rrname").asText(), score);
            if (before != null) {
                assertThat(score).isEqualTo(before);
            }
        }
        String forest = REDIS.jedis().keys("dga:rf:*").iterator().next();
        assertThat(REDIS.jedis().hget(forest, "trees")).isEqualTo("25");
        assertThat(logs().resolve("dragonfly-errors.log"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void generatedNamesScoreAsDgaAndWellKnownOnesDoNot() throws Exception {
        Path root = example();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("www.google.com", "benign");
        expected.put("mail.bbc.co.uk", "benign");
        expected.put("suricata.io", "benign");
        expected.put("ghhcjlciektpyb.ru", "dga"); // cryptolocker-style
        expected.put("esufxrmuxkpbedcftbbab.nu", "dga"); // necurs-style
        expected.put("c8ff4043ce9729a426a6aba8a7a62e92.org", "dga"); // bamital-style
        List<String> input = new ArrayList<>();
        input.add("{\"event_type\":\"flow\",\"flow_id\":1}");
        for (String name : expected.keySet()) {
            input.add(
                    "{\"event_type\":\"dns\",\"dns\":{\"type\":\"query\",\"rrname\":\""
                            + name
                            + "\"}}");
        }
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Map<String, String> classes = new LinkedHashMap<>();
        for (String line : TestRoots.readLines(logs().resolve("dga-scored.json"))) {
            JsonNode event = JSON.readTree(line);
            classes.put(
                    event.get("dns").get("rrname").asText(),
                    event.get("analytics").get("dga").get("class").asText());
        }
        assertThat(classes).isEqualTo(expected);
    }

    @Test
    void featuresThatDriftedFromTheTrainingScriptStopTheJobAtSetup() throws Exception {
        Path root = example();
        Path model = root.resolve("analyzer/dga-model.txt");
        String text = Files.readString(model);
        int check = text.indexOf("CHECK www.google.com ");
        int end = text.indexOf('\n', check);
        Files.writeString(
                model,
                text.substring(0, check) + "CHECK www.google.com 0.999 1" + text.substring(end));
        TestRoots.writeLines(
                dir.resolve("data/eve-sample.jsonl"), EveSamples.devLines().subList(0, 10));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .contains("analyzer/dga.lua")
                .contains("CHECK www.google.com")
                .contains("no longer match scripts/train-dga.py");
    }
}
