package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tail:// input in a real config.lua: the passthrough example's scripts and the interval of its
 * {@code checkpoint} table, on a MiniCluster. (Main itself blocks until the job ends, and a tail
 * job never does; this builds the same job and stops it.)
 */
class TailPipelineITCase {

    @TempDir Path dir;

    @Test
    void aTailInputStartsAtTheEndByDefaultAndDeliversEveryLaterLineOnce() throws Exception {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, "file://../data/eve-sample.jsonl", "tail://../data/eve.json");
        TestRoots.appendConfig(root, "checkpoint = { interval = \"300ms\" }");
        Path logs = dir.resolve("logs");
        Path eve = dir.resolve("data/eve.json");
        List<String> sample = EveSamples.devLines();
        TestRoots.writeLines(eve, sample.subList(0, 100)); // there before the start: skipped

        PipelineSpec spec = ConfigLoader.load(root, logs);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, spec.checkpoint().interval());
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                logs.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        JobClient job = env.executeAsync("tail pipeline");
        Path output = logs.resolve("passthrough.json");
        List<String> later = sample.subList(100, 1100);
        try {
            // the job runs once a checkpoint is done; a moment more and the split is positioned
            awaitCheckpoint(logs.resolve("checkpoints").resolve(job.getJobID().toString()));
            Thread.sleep(500);
            try (OutputStream out = Files.newOutputStream(eve, StandardOpenOption.APPEND)) {
                TailJobs.write(out, later);
            }
            TailJobs.awaitSteady(() -> TailJobs.countLines(output), later.size());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(TailJobs.lines(output)).isEqualTo(later);
        assertThat(TailJobs.lines(logs.resolve("dragonfly-errors.log"))).isEmpty();
    }

    private static void awaitCheckpoint(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.anyMatch(p -> p.getFileName().toString().startsWith("chk-"))) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint appeared in " + dir);
    }
}
