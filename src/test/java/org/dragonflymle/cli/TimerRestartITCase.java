package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A timer_event set before a stop with savepoint fires once after the resume, on a keyed stage
 * (Flink keyed timers) and on a stage without a key (timers in operator state) alike.
 */
class TimerRestartITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    private Path root(String key) {
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                inputs = {
                  { tag="eve", uri="file://%s", script="filter.lua", default_analyzer="t" },
                }
                analyzers = {
                  { tag="t", script="t.lua", %s default_analyzer="", default_output="out" },
                }
                outputs = { { tag="out", uri="file://out.json" } }
                """
                        .formatted(REDIS.port(), dir.resolve("in.jsonl"), key));
        TestRoots.write(
                root,
                "filter/filter.lua",
                """
                function loop(msg)
                  local t = os.clock() while os.clock() - t < 0.001 do end
                  dragonfly.analyze_event(default_analyzer, msg)
                end
                """);
        TestRoots.write(
                root,
                "analyzer/t.lua",
                """
                function loop(msg)
                  if msg.kind == "timer" then
                    dragonfly.output_event(default_output, {timer = "fired", k = msg.k})
                    return
                  end
                  if msg.seq == 0 then
                    dragonfly.timer_event("t", 3, {kind = "timer", k = msg.k})
                  end
                  dragonfly.output_event(default_output, {seq = msg.seq})
                end
                """);
        return root;
    }

    @ParameterizedTest
    @ValueSource(strings = {"key=\"k\",", ""})
    void aPendingTimerFiresOnceAfterTheResume(String key) throws Exception {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 9_000; i++) {
            input.add("{\"seq\":" + i + ",\"k\":\"a\"}");
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), input);
        Path root = root(key);
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("out.json");

        JobClient job = new AsyncEngine(root, logs).startLocal("before the timer", 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (AsyncEngine.lines(out) < 100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("sp").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        job.getJobExecutionResult().get();
        assertThat(Files.readString(out)).as("not fired before the stop").doesNotContain("fired");

        Launcher.Result result = Launcher.run(root, logs, "--from-savepoint", savepoint);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(out);
        assertThat(output.stream().filter(l -> l.contains("fired")).toList())
                .containsExactly("{\"timer\":\"fired\",\"k\":\"a\"}");
        assertThat(output.stream().filter(l -> l.contains("seq")).count()).isEqualTo(input.size());
    }
}
