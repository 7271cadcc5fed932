package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stop with a savepoint mid-replay, resume from it at another parallelism: every event is counted
 * exactly once per key in dragonfly.state, and the output holds each event once.
 */
class SavepointRescaleITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path root(int parallelism, boolean slow) {
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
                  { tag="count", script="count.lua", key="src_ip", parallelism=%d,
                    default_analyzer="", default_output="out" },
                }
                outputs = { { tag="out", uri="file://out.json" } }
                """
                        .formatted(REDIS.port(), dir.resolve("in.jsonl"), parallelism));
        TestRoots.write(
                root,
                "filter/filter.lua",
                """
                function loop(msg)
                  %s
                  if msg.src_ip then dragonfly.analyze_event(default_analyzer, msg) end
                end
                """
                        .formatted(
                                slow
                                        ? "local t = os.clock() while os.clock() - t < 0.002 do end"
                                        : ""));
        TestRoots.write(
                root,
                "analyzer/count.lua",
                """
                function loop(msg)
                  local n = dragonfly.state.incr("n")
                  dragonfly.output_event(default_output, {src_ip = msg.src_ip, n = n, seq = msg.seq})
                end
                """);
        return root;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stateSurvivesStopWithSavepointAndRescaling(int resumedParallelism) throws Exception {
        List<String> sample = EveSamples.devLines();
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 8_000; i++) {
            input.add("{\"seq\":" + i + "," + sample.get(i % sample.size()).substring(1));
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), input);
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("out.json");

        // first run at parallelism 2, slowed down, stopped with a savepoint part-way
        Path root = root(2, true);
        JobClient job = new AsyncEngine(root, logs).startLocal("first half", 2);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (AsyncEngine.lines(out) < 300 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        job.getJobExecutionResult().get();
        int firstRun = AsyncEngine.lines(out);
        assertThat(firstRun).isGreaterThanOrEqualTo(300);

        // second run from the savepoint at another parallelism, at full speed
        root(resumedParallelism, false);
        Launcher.Result result = Launcher.run(root, logs, "--from-savepoint", savepoint);
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        Map<String, List<Integer>> counts = new HashMap<>();
        List<Integer> seqs = new ArrayList<>();
        for (String line : TestRoots.readLines(out)) {
            JsonNode e = JSON.readTree(line);
            counts.computeIfAbsent(e.get("src_ip").asText(), k -> new ArrayList<>())
                    .add(e.get("n").asInt());
            seqs.add(e.get("seq").asInt());
        }
        List<Integer> expectedSeqs = new ArrayList<>();
        for (String line : input) {
            JsonNode e = JSON.readTree(line);
            if (e.has("src_ip")) {
                expectedSeqs.add(e.get("seq").asInt());
            }
        }
        assertThat(seqs).as("every event once").containsExactlyInAnyOrderElementsOf(expectedSeqs);
        assertThat(firstRun).isLessThan(expectedSeqs.size());
        for (Map.Entry<String, List<Integer>> c : counts.entrySet()) {
            List<Integer> sorted = new ArrayList<>(c.getValue());
            sorted.sort(null);
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(sorted.get(i)).as("count %d of %s", i + 1, c.getKey()).isEqualTo(i + 1);
            }
        }
    }
}
