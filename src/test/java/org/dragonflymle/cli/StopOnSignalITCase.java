package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming run (tail://, never ends by itself) in a launcher JVM of its own, stopped with
 * SIGTERM as a service manager stops it: the run ends with its summary and a "stopped" line, exit
 * status 0, and – without {@code --savepoint} – its checkpoints kept for {@code --resume}.
 */
class StopOnSignalITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    @Test
    void sigtermWithoutSavepointPrintsTheSummaryAndStopped() throws Exception {
        Path logs = dir.resolve("logs");
        Run run = startStreaming(logs);
        run.process.destroy(); // SIGTERM
        String err = run.finish();

        assertThat(run.process.exitValue()).as(err).isZero();
        assertThat(err)
                .contains("dragonfly-mle: SIGTERM: stopping")
                .containsPattern("dragonfly-mle: stopped after [0-9.]+ s: [0-9,]+ events read")
                .containsPattern("\n  eve +in [0-9,]+ +out [0-9,]+ +dropped 0 +errors 0")
                .contains("  outputs: out 200, errors 0")
                .contains(
                        "dragonfly-mle: stopped by SIGTERM; checkpoints are kept in "
                                + logs.resolve("checkpoints")
                                        .toUri()
                                        .toString()
                                        .replaceAll("/$", ""))
                .doesNotContain("job failed");
        assertThat(err.strip()).endsWith("(continue with --resume)");
        assertThat(summaryCount(err, "eve")).as("every event up to the signal").isEqualTo(200);
    }

    @Test
    void sigtermWithSavepointStopsWithOneAndSaysWhere() throws Exception {
        Path logs = dir.resolve("logs");
        Run run = startStreaming(logs, "--savepoint", dir.resolve("savepoints").toString());
        run.process.destroy();
        String err = run.finish();

        assertThat(run.process.exitValue()).as(err).isZero();
        assertThat(err)
                .contains("SIGTERM: stopping with a savepoint in " + dir.resolve("savepoints"))
                .containsPattern("dragonfly-mle: stopped after [0-9.]+ s: [0-9,]+ events read")
                .containsPattern(
                        "dragonfly-mle: stopped with savepoint \\S+savepoints/savepoint-\\S+"
                                + " \\(continue with --from-savepoint ");
    }

    private record Run(Process process, Path stderr) {
        String finish() throws Exception {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped in time").isTrue();
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }
    }

    /** A launcher JVM following a growing file, once its first events reached the output. */
    private Run startStreaming(Path logs, String... extra) throws Exception {
        Path eve = dir.resolve("eve.json");
        TestRoots.writeLines(eve, EveSamples.devLines().subList(0, 200));
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(
                root, "file://../data/eve-sample.jsonl", "tail://" + eve + "?start=beginning");
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(Main.class.getName());
        command.addAll(List.of("-r", root.toString(), "-l", logs.toString(), "--www-port=-1"));
        command.addAll(List.of(extra));
        Path stderr = dir.resolve("stderr-" + System.nanoTime() + ".txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();
        Path out = logs.resolve("passthrough.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (lines(out) < 200) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(
                        "the run did not write its first events: " + Files.readString(stderr));
            }
            Thread.sleep(50);
        }
        return new Run(p, stderr);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static long summaryCount(String err, String tag) {
        String line =
                err.lines().filter(l -> l.startsWith("  " + tag + " ")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll(".* in ([0-9,]+) .*", "$1").replace(",", ""));
    }
}
