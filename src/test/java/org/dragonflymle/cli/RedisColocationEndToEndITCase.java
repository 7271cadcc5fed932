package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.os.CpuAffinity;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * hello-world run by the launcher against a Redis confined to one CPU (as the project starts it):
 * the analyzer's instances move to that CPU at parallelism 1, stay put at 3, and every event is
 * counted and written either way.
 */
class RedisColocationEndToEndITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final int EVENTS = 6_000;

    @TempDir Path dir;

    @BeforeEach
    void needTwoCpus() {
        assumeTrue(
                CpuAffinity.ofThisProcess().orElseThrow().cardinality() > 1,
                "needs a machine with two CPUs or more");
    }

    private Path helloWorldOverTheUnixSocket() {
        Path root = TestRoots.copyExample("hello-world", dir);
        TestRoots.appendConfig(
                root,
                "redis_host = \""
                        + REDIS.server().unixSocket()
                        + "\"\nredis_port = "
                        + REDIS.port());
        List<String> sample = EveSamples.devLines();
        List<String> input = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            input.add(sample.get(i % sample.size()));
        }
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);
        return root;
    }

    /** Runs the job and returns what RedisColocation wrote to the engine's log file. */
    private List<String> runAndReadColocationLog(Path root) {
        Path logs = dir.resolve("logs");
        Launcher.Result result = Launcher.run(root, logs);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(logs.resolve("hello-world-events.json"))).hasSize(EVENTS);
        long counted =
                REDIS.jedis().keys("dragonfly:event_type:*").stream()
                        .mapToLong(key -> Long.parseLong(REDIS.jedis().get(key)))
                        .sum();
        assertThat(counted).isEqualTo(EVENTS);
        return TestRoots.readLines(logs.resolve("dragonfly-mle.log")).stream()
                .filter(line -> line.contains(" RedisColocation - "))
                .map(line -> line.substring(line.indexOf(" RedisColocation - ") + 19))
                .toList();
    }

    @Test
    void theOnlyInstanceOfARedisBoundAnalyzerMovesToRedisCpu() throws Exception {
        List<String> lines = runAndReadColocationLog(helloWorldOverTheUnixSocket());

        assertThat(lines)
                .singleElement()
                .asString()
                .startsWith("counter (1/1)#0 now waits for Redis " + REDIS.server().unixSocket());
    }

    @Test
    void atParallelismThreeEveryInstanceStaysWhereTheSchedulerPutsIt() throws Exception {
        Path root = helloWorldOverTheUnixSocket();
        TestRoots.editConfig(
                root, "tag=\"counter\", script=", "tag=\"counter\", parallelism=3, script=");

        assertThat(runAndReadColocationLog(root)).isEmpty();
    }
}
