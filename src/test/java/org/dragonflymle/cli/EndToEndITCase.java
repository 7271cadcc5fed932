package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as a user runs it: the launcher's entry point on a Dragonfly root, a real MiniCluster,
 * a real redis-server, real Suricata events in and a file out.
 */
class EndToEndITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper EXACT =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final Pattern FLOW_ID = Pattern.compile("\"flow_id\":(\\d+)");

    @TempDir Path dir;

    private Path logs() {
        return dir.resolve("logs");
    }

    private Path example(String name) {
        Path root = TestRoots.copyExample(name, dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        return root;
    }

    @Test
    void passthroughDeliversEveryRealLineUnchanged() throws Exception {
        Path root = example("passthrough");
        List<String> input = EveSamples.devLines();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(logs().resolve("passthrough.json"));
        assertThat(output).hasSameSizeAs(input);
        for (int i = 0; i < input.size(); i++) {
            JsonNode expected = EXACT.readTree(input.get(i));
            JsonNode actual = EXACT.readTree(output.get(i));
            assertThat(actual).as("line %d", i + 1).isEqualTo(expected);
            assertThat(flowIds(output.get(i))).isEqualTo(flowIds(input.get(i)));
        }
        assertThat(logs().resolve("dragonfly-errors.log"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void helloWorldCountsEveryEventOnceInRedisAndWritesItOnce() throws Exception {
        Path root = example("hello-world");
        List<String> input = twentyThousandDistinctEvents();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(logs().resolve("hello-world-events.json"));
        assertThat(output).hasSize(20_000);
        assertThat(output.stream().map(EndToEndITCase::flowIds).toList())
                .containsExactlyInAnyOrderElementsOf(
                        input.stream().map(EndToEndITCase::flowIds).toList());
        Map<String, Long> expected = new HashMap<>();
        for (String line : input) {
            expected.merge(EXACT.readTree(line).get("event_type").asText(), 1L, Long::sum);
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(REDIS.jedis().get("dragonfly:event_type:" + e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(String.valueOf(e.getValue()));
        }
    }

    @Test
    void aConfigNamingAnUnknownAnalyzerExitsTwoNamingIt() {
        Path root = example("hello-world");
        TestRoots.editConfig(root, "default_analyzer=\"counter\"", "default_analyzer=\"countr\"");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("config.lua").contains("inputs[1]").contains("countr");
    }

    @Test
    void aLuaErrorInLoopRejectsThatEventOnlyWithItsScriptAndLine() throws Exception {
        Path root = example("passthrough");
        TestRoots.write(
                root,
                "analyzer/pass.lua",
                """
                function setup()
                end

                function loop(msg)
                  if msg.event_type == "dns" then
                    error("no dns please")
                  end
                  dragonfly.output_event(default_output, msg)
                end
                """);
        List<String> input = EveSamples.devLines();
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        long dns = input.stream().filter(l -> l.contains("\"event_type\":\"dns\"")).count();
        assertThat(TestRoots.readLines(logs().resolve("passthrough.json")))
                .hasSize((int) (input.size() - dns));
        List<String> errors = TestRoots.readLines(logs().resolve("dragonfly-errors.log"));
        assertThat(errors).hasSize((int) dns);
        JsonNode first = EXACT.readTree(errors.get(0));
        assertThat(first.get("stage").asText()).isEqualTo("analyzer");
        assertThat(first.get("tag").asText()).isEqualTo("pass");
        assertThat(first.get("script").asText()).isEqualTo("analyzer/pass.lua");
        assertThat(first.get("reason").asText()).isEqualTo("script_error");
        assertThat(first.get("error").asText()).contains("pass.lua:6").contains("no dns please");
        assertThat(first.get("event").get("event_type").asText()).isEqualTo("dns");
    }

    @Test
    void badLinesBecomeErrorRecordsAndGoodLinesStillFlow() throws Exception {
        Path root = example("passthrough");
        List<String> good = EveSamples.devLines().subList(0, 100);
        Path input = dir.resolve("data/eve-sample.jsonl");
        Files.createDirectories(input.getParent());
        try (var out = Files.newOutputStream(input)) {
            for (int i = 0; i < good.size(); i++) {
                out.write(good.get(i).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                if (i == 10) {
                    out.write("{\"event_type\": \"dns\",\n".getBytes(StandardCharsets.UTF_8));
                    out.write("\n   \n".getBytes(StandardCharsets.UTF_8)); // blank: skipped
                    out.write(
                            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}', '\n'});
                    out.write(("[".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(logs().resolve("passthrough.json"))).isEqualTo(good);
        List<String> reasons = new ArrayList<>();
        for (String line : TestRoots.readLines(logs().resolve("dragonfly-errors.log"))) {
            JsonNode record = EXACT.readTree(line);
            assertThat(record.get("stage").asText()).isEqualTo("input");
            reasons.add(record.get("reason").asText());
        }
        assertThat(reasons).containsExactly("malformed_json", "invalid_utf8", "too_deep");
    }

    @Test
    void aFailingSetupStopsTheStartWithExitTwoNamingTheScript() {
        Path root = example("passthrough");
        TestRoots.write(
                root,
                "analyzer/pass.lua",
                """
                function setup()
                  local x = nil
                  x.boom = 1
                end

                function loop(msg)
                end
                """);
        TestRoots.writeLines(
                dir.resolve("data/eve-sample.jsonl"), EveSamples.devLines().subList(0, 10));

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("analyzer/pass.lua:3");
    }

    /** 20,000 real events, cycled from the sample, each with its own 64-bit flow_id. */
    private static List<String> twentyThousandDistinctEvents() {
        List<String> sample = EveSamples.devLines();
        List<String> events = new ArrayList<>(20_000);
        for (int i = 0; i < 20_000; i++) {
            String line = sample.get(i % sample.size());
            String id = String.valueOf(1_152_921_504_606_846_976L + 7L * i); // > 2^60
            Matcher m = FLOW_ID.matcher(line);
            events.add(
                    m.find()
                            ? m.replaceFirst("\"flow_id\":" + id)
                            : "{\"flow_id\":" + id + "," + line.substring(1));
        }
        return events;
    }

    private static List<String> flowIds(String line) {
        List<String> ids = new ArrayList<>();
        Matcher m = FLOW_ID.matcher(line);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
