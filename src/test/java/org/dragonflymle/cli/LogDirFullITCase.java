package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOGDIR on a file system that fills up, for real: a 2 MiB tmpfs (skipped where {@code mount} is
 * not permitted, i.e. not root). The output must end on a whole line, the run must stop with exit 1
 * and one line saying so, the engine's log (on the same full file system) must say why, and a
 * {@code --resume} once there is room must finish with every event exactly once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LogDirFullITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).inheritIO().start().waitFor();
        }
    }

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aFullLogDirStopsTheRunOnAWholeLineAndResumeDeliversEverythingOnce() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", logs.toString()),
                "needs permission to mount a tmpfs (root) to fill a real file system");
        // (the log directory lives on a 2 MiB tmpfs from here on)
        mounted = logs;

        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(
                root, "redis_port = " + REDIS.port() + "\ncheckpoint = { interval = \"200ms\" }");
        // about 0.3 ms per event: checkpoints are taken before the file system fills
        TestRoots.write(
                root,
                "analyzer/pass.lua",
                "function loop(msg) local t = os.clock() + 0.0003 while os.clock() < t do end"
                        + " dragonfly.output_event(default_output, msg) end\n");
        List<String> events = new ArrayList<>();
        List<String> dev = EveSamples.devLines();
        while (events.size() < 6_000) {
            events.addAll(dev.subList(0, Math.min(dev.size(), 6_000 - events.size())));
        }
        Path input = dir.resolve("data/eve-sample.jsonl");
        Files.createDirectories(input.getParent());
        TestRoots.writeLines(input, events);
        long inputBytes = Files.size(input);
        assertThat(inputBytes).as("more than the file system holds").isGreaterThan(2L << 20);

        Launcher.Result full = Launcher.run(root, logs);

        assertThat(full.exitCode()).as(full.stderr()).isEqualTo(1);
        assertThat(full.stderr())
                .containsOnlyOnce("dragonfly-mle: LOGDIR file system full: ")
                .contains("make room, then run again with --resume");
        Path out = logs.resolve("passthrough.json");
        byte[] partial = Files.readAllBytes(out);
        assertThat(partial.length).isGreaterThan(0);
        assertThat(partial[partial.length - 1]).as("ends on a whole line").isEqualTo((byte) '\n');
        for (String line : TestRoots.readLines(out)) {
            JSON.readTree(line);
        }
        assertThat(Files.readString(logs.resolve("dragonfly-mle.log"), StandardCharsets.UTF_8))
                .as("the engine's log says why")
                .contains("LOGDIR file system full");

        assertThat(run("mount", "-o", "remount,size=64m", logs.toString())).isTrue();
        Launcher.Result resumed = Launcher.run(root, logs, "--resume");

        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        List<String> lines = TestRoots.readLines(out);
        assertThat(lines).as("every event once").hasSameSizeAs(events);
        assertThat(new HashSet<>(lines)).isEqualTo(new HashSet<>(events));
        assertThat(lines).containsExactlyElementsOf(events);
    }
}
