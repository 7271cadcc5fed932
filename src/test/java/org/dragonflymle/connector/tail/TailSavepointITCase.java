package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.connector.file.FileLineSink;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint, let the file move on while the engine is down (more lines, a rotation, a
 * new file), resume from the savepoint: the output holds every line once.
 */
class TailSavepointITCase {

    @TempDir Path dir;

    private JobClient start(Path eve, Path out, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = TailJobs.environment(dir.resolve("chk"), conf);
        env.fromSource(TailJobs.source(eve), WatermarkStrategy.noWatermarks(), "source:eve")
                .uid("source:eve")
                .sinkTo(new FileLineSink(out))
                .uid("output:out");
        return env.executeAsync("tail savepoint");
    }

    @Test
    void aJobResumedFromASavepointReadsWhatWasWrittenMeanwhileOnce() throws Exception {
        List<String> input = EveSamples.devLines().subList(0, 2000);
        Path eve = dir.resolve("eve.json");
        Path out = dir.resolve("out.json");
        OutputStream writer = Files.newOutputStream(eve, StandardOpenOption.CREATE_NEW);
        TailJobs.write(writer, input.subList(0, 1000));

        JobClient first = start(eve, out, null);
        String savepoint;
        try {
            TailJobs.awaitSteady(() -> TailJobs.countLines(out), 1000);
            savepoint =
                    first.stopWithSavepoint(
                                    false,
                                    dir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            first.cancel();
            throw e;
        }

        // while stopped: more lines, then a rotation with a last line cut short, then a new file
        TailJobs.write(writer, input.subList(1000, 1500));
        Files.move(eve, dir.resolve("eve.json.1"));
        TailJobs.write(writer, input.subList(1500, 1700));
        writer.write("{\"cut short".getBytes());
        writer.close();
        Files.write(eve, input.subList(1700, 2000));

        JobClient second = start(eve, out, savepoint);
        try {
            TailJobs.awaitSteady(() -> TailJobs.countLines(out), 2001);
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }

        List<String> expected = new ArrayList<>(input.subList(0, 1700));
        expected.add("{\"cut short");
        expected.addAll(input.subList(1700, 2000));
        assertThat(TailJobs.lines(out)).isEqualTo(expected);
    }
}
