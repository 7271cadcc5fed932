package org.dragonflymle.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** key= and parallelism= on a real MiniCluster: per-key order and exact per-key state. */
class KeyedStateITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path root(String analyzerEntry, String analyzerScript) {
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                inputs = {
                  { tag="eve", uri="file://%s", script="filter.lua", default_analyzer="count" },
                }
                analyzers = {
                  %s
                }
                outputs = {
                  { tag="out", uri="file://out.json" },
                }
                """
                        .formatted(REDIS.port(), dir.resolve("in.jsonl"), analyzerEntry));
        TestRoots.write(
                root,
                "filter/filter.lua",
                """
                function loop(msg)
                  if msg.src_ip then dragonfly.analyze_event(default_analyzer, msg) end
                end
                """);
        TestRoots.write(root, "analyzer/count.lua", analyzerScript);
        return root;
    }

    private static final String COUNTER =
            """
            function loop(msg)
              local n = dragonfly.state.incr("events")
              local first = dragonfly.state.get("first_flow")
              if first == nil then
                dragonfly.state.put("first_flow", {id = tostring(msg.flow_id)})
                first = dragonfly.state.get("first_flow")
              end
              dragonfly.metric("seen")
              dragonfly.output_event(default_output, {src_ip = msg.src_ip, n = n,
                  seq = msg.seq, first = first.id})
            end
            """;

    @Test
    void parallelKeyedAnalyzerKeepsPerKeyOrderAndExactCounts() throws Exception {
        Path root =
                root(
                        """
                { tag="count", script="count.lua", key="src_ip", parallelism=2,
                  default_analyzer="", default_output="out" },
                """,
                        COUNTER);
        List<String> input = new ArrayList<>();
        List<String> sample = EveSamples.devLines();
        for (int i = 0; i < 12_000; i++) {
            String line = sample.get(i % sample.size());
            input.add("{\"seq\":" + i + "," + line.substring(1));
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), input);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Map<String, List<Integer>> expectedSeqs = new HashMap<>();
        for (String line : input) {
            JsonNode e = JSON.readTree(line);
            if (e.has("src_ip")) {
                expectedSeqs
                        .computeIfAbsent(e.get("src_ip").asText(), k -> new ArrayList<>())
                        .add(e.get("seq").asInt());
            }
        }
        Map<String, List<Integer>> seqs = new HashMap<>();
        Map<String, List<Integer>> counts = new HashMap<>();
        for (String line : TestRoots.readLines(dir.resolve("logs/out.json"))) {
            JsonNode e = JSON.readTree(line);
            String ip = e.get("src_ip").asText();
            seqs.computeIfAbsent(ip, k -> new ArrayList<>()).add(e.get("seq").asInt());
            counts.computeIfAbsent(ip, k -> new ArrayList<>()).add(e.get("n").asInt());
        }
        assertThat(seqs).isEqualTo(expectedSeqs);
        assertThat(expectedSeqs.size()).isGreaterThan(10);
        for (Map.Entry<String, List<Integer>> c : counts.entrySet()) {
            List<Integer> oneToN = new ArrayList<>();
            for (int i = 1; i <= c.getValue().size(); i++) {
                oneToN.add(i);
            }
            assertThat(c.getValue()).as(c.getKey()).isEqualTo(oneToN);
        }
    }

    @Test
    void stateWithoutAKeyIsAScriptErrorThatSaysSo() throws Exception {
        Path root =
                root(
                        """
                { tag="count", script="count.lua", default_analyzer="", default_output="out" },
                """,
                        COUNTER);
        TestRoots.writeLines(dir.resolve("in.jsonl"), EveSamples.devLines().subList(0, 20));

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> errors = TestRoots.readLines(dir.resolve("logs/dragonfly-errors.log"));
        assertThat(errors).isNotEmpty();
        assertThat(JSON.readTree(errors.get(0)).get("error").asText())
                .contains("dragonfly.state needs key=");
    }
}
