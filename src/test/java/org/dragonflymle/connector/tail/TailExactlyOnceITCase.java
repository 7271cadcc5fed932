package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.connector.file.FileLineSink;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tail:// to file:// on a MiniCluster with checkpoints, through everything at once: real EVE lines
 * written in bursts and half lines, a rename rotation of the input, a task failure after a
 * checkpoint (the job restores: the source resumes at its offset, the sink cuts the file back), and
 * a SIGHUP rotation of the output. The output must be the input, line for line.
 */
class TailExactlyOnceITCase {

    @TempDir Path dir;

    /**
     * Fails the task once, from the 2,000th line on, when a checkpoint has completed and the output
     * has grown since: lines after the checkpoint are in the file, so the restore must cut them.
     */
    static final class FailOnce implements MapFunction<Event, Event>, CheckpointListener {
        static final AtomicInteger SEEN = new AtomicInteger();
        static final AtomicInteger CHECKPOINTS = new AtomicInteger();
        static final AtomicInteger FAILURES = new AtomicInteger();
        static final AtomicLong SIZE_AT_CHECKPOINT = new AtomicLong(-1);
        static volatile Path out;

        @Override
        public Event map(Event e) throws IOException {
            if (SEEN.incrementAndGet() >= 2000
                    && FAILURES.get() == 0
                    && SIZE_AT_CHECKPOINT.get() >= 0
                    && Files.size(out) > SIZE_AT_CHECKPOINT.get()
                    && FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("test hook: task fails once mid-stream");
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws IOException {
            CHECKPOINTS.incrementAndGet();
            if (FAILURES.get() == 0) {
                SIZE_AT_CHECKPOINT.set(Files.size(out));
            }
        }
    }

    @Test
    void everyLineArrivesExactlyOnceThroughRotationsAndARestart() throws Exception {
        FailOnce.SEEN.set(0);
        FailOnce.CHECKPOINTS.set(0);
        FailOnce.FAILURES.set(0);
        FailOnce.SIZE_AT_CHECKPOINT.set(-1);
        List<String> input = EveSamples.devLines();
        Path eve = dir.resolve("eve.json");
        Path out = dir.resolve("out.json");
        Path outRotated = dir.resolve("out.json.1");
        FailOnce.out = out;

        StreamExecutionEnvironment env =
                TailJobs.environment(dir.resolve("chk"), new Configuration());
        env.fromSource(TailJobs.source(eve), WatermarkStrategy.noWatermarks(), "source:eve")
                .uid("source:eve")
                .map(new FailOnce())
                .returns(EventTypeInfo.INSTANCE)
                .uid("fail-once")
                .sinkTo(new FileLineSink(out))
                .uid("output:out");
        JobClient job = env.executeAsync("tail exactly-once");
        try {
            // the input: 3000 lines, a rename rotation with 50 more lines into the renamed file
            // (the writer has not reopened yet), then the new file
            OutputStream writer = Files.newOutputStream(eve, StandardOpenOption.CREATE_NEW);
            TailJobs.write(writer, input.subList(0, 1000));
            // the failure must come after a completed checkpoint, whatever the start-up took
            TailJobs.awaitSteady(() -> TailJobs.countLines(out), 1000);
            while (FailOnce.CHECKPOINTS.get() == 0) {
                Thread.sleep(20);
            }
            TailJobs.write(writer, input.subList(1000, 3000));
            Files.move(eve, dir.resolve("eve.json.1"));
            TailJobs.write(writer, input.subList(3000, 3050));
            writer.close();
            try (OutputStream next = Files.newOutputStream(eve, StandardOpenOption.CREATE_NEW)) {
                TailJobs.write(next, input.subList(3050, 3500));
                TailJobs.awaitSteady(() -> TailJobs.countLines(out), 3500);
                assertThat(FailOnce.FAILURES).hasValue(1);

                // logrotate on the output: a rename, which the sink notices by itself
                Files.move(out, outRotated);
                TailJobs.write(next, input.subList(3500, input.size()));
            }
            TailJobs.awaitSteady(() -> TailJobs.countLines(outRotated, out), input.size());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(TailJobs.lines(outRotated)).isEqualTo(input.subList(0, 3500));
        assertThat(TailJobs.lines(out)).isEqualTo(input.subList(3500, input.size()));
    }
}
