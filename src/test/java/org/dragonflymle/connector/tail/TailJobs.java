package org.dragonflymle.connector.tail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.connector.tail.split.StartPosition;

/** Shared pieces of the tail:// jobs the ITCases run on a local MiniCluster. */
final class TailJobs {

    private TailJobs() {}

    /** A local environment checkpointing every 200 ms into {@code dir}, restarting on failure. */
    static StreamExecutionEnvironment environment(Path checkpoints, Configuration extra) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    static TailSource source(Path file) {
        return TailSource.builder(file.toString())
                .setStartPosition(StartPosition.BEGINNING)
                .setPollInterval(Duration.ofMillis(20))
                .setMaxLineBytes(1 << 20)
                .build();
    }

    /** Lines of the files that exist, in order ({@code a} then {@code b} ...). */
    static List<String> lines(Path... files) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path f : files) {
            if (Files.exists(f)) {
                all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    /**
     * Waits until {@code count} reaches {@code n} and stays there for a second (so a late duplicate
     * would still show), at most a minute.
     */
    static void awaitSteady(IntSupplier count, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (count.getAsInt() >= n) {
                Thread.sleep(1000);
                if (count.getAsInt() == n) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    static int countLines(Path... files) {
        try {
            return lines(files).size();
        } catch (IOException e) {
            return -1; // mid-rename; look again
        }
    }

    /**
     * Appends lines the way a busy writer does: in bursts, now and then a line in two writes with a
     * pause between (so the reader sees half a line).
     */
    static void write(OutputStream out, List<String> lines) throws Exception {
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = (lines.get(i) + "\n").getBytes(StandardCharsets.UTF_8);
            if (i % 250 == 125) {
                out.write(line, 0, line.length / 2);
                out.flush();
                Thread.sleep(60);
                out.write(line, line.length / 2, line.length - line.length / 2);
            } else {
                out.write(line);
            }
            if (i % 100 == 99) {
                out.flush();
                Thread.sleep(15);
            }
        }
        out.flush();
    }
}
