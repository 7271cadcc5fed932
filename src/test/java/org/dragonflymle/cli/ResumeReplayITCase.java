package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of a large file interrupted half-way (the job cancelled, as a killed launcher leaves it)
 * and run again with --resume: it continues from the newest retained checkpoint and the output
 * holds every event exactly once, in order.
 */
class ResumeReplayITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    @Test
    void anInterruptedReplayResumedFinishesWithEveryEventOnce() throws Exception {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        // The slowed replay takes about 8 s; at the default 10 s it could end before its first
        // checkpoint and leave nothing to resume from.
        TestRoots.appendConfig(root, "checkpoint = { interval = \"1s\" }");
        TestRoots.write(
                root,
                "filter/pass-filter.lua",
                """
                function loop(msg)
                  if not fast then local t = os.clock() while os.clock() - t < 0.001 do end end
                  dragonfly.analyze_event(default_analyzer, msg)
                end
                """);
        List<String> input = new ArrayList<>();
        List<String> sample = EveSamples.devLines();
        for (int i = 0; i < 8_000; i++) {
            input.add("{\"seq\":" + i + "," + sample.get(i % sample.size()).substring(1));
        }
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("passthrough.json");

        JobClient job = new AsyncEngine(root, logs).startLocal("interrupted replay", 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while ((AsyncEngine.lines(out) < 2_000
                        || Recovery.latestCheckpoint(logs.resolve("checkpoints")).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        job.cancel().get();
        int beforeResume = AsyncEngine.lines(out);
        assertThat(beforeResume).isBetween(1, input.size() - 1);

        TestRoots.write(
                root,
                "filter/pass-filter.lua",
                """
                function loop(msg)
                  dragonfly.analyze_event(default_analyzer, msg)
                end
                """);
        Launcher.Result result = Launcher.run(root, logs, "--resume");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(out)).as("every event once, in order").isEqualTo(input);
    }
}
