package org.dragonflymle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupRunTest {

    @TempDir Path dir;

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private static String at(long epochMillis, String text) {
        return LocalDateTime.ofInstant(
                                java.time.Instant.ofEpochMilli(epochMillis), ZoneId.systemDefault())
                        .format(LOG_TIME)
                + " INFO  "
                + text;
    }

    @Test
    void thePhasesAddUpToTheFirstOutputAndTheShutdownIsAfterTheLastLine() throws Exception {
        long launch = 1_800_000_000_000L;
        Path log = dir.resolve("dragonfly-mle.log");
        Files.write(
                log,
                List.of(
                        at(launch + 100, "ConfigLoader - loaded"),
                        at(launch + 900, "MiniCluster - Starting Flink Mini Cluster"),
                        "   a continuation line without a time",
                        at(launch + 1400, "MiniCluster - Flink Mini Cluster started successfully"),
                        at(
                                launch + 1700,
                                "Task - out (1/1)#0 switched from INITIALIZING to RUNNING."),
                        at(
                                launch + 1900,
                                "Task - src (1/1)#0 switched from INITIALIZING to RUNNING."),
                        at(launch + 2500, "MiniCluster - Shutting down Flink Mini Cluster")));
        ChildRun.Measurement m = new ChildRun.Measurement(launch, 3.0, 2.0, 2.2, 4.0, 200_000, 0);

        StartupRun.Phases p = StartupRun.phases(m, log);

        assertThat(p.jvmAndSetup()).isCloseTo(0.9, within(1e-9));
        assertThat(p.miniCluster()).isCloseTo(0.5, within(1e-9));
        // the last task to run is what the first event waits for
        assertThat(p.jobToRunning()).isCloseTo(0.5, within(1e-9));
        assertThat(p.firstEvent()).isCloseTo(0.1, within(1e-9));
        assertThat(p.shutdown()).isCloseTo(0.8, within(1e-9));
        assertThat(p.jvmAndSetup() + p.miniCluster() + p.jobToRunning() + p.firstEvent())
                .isCloseTo(m.firstOutputSeconds(), within(1e-9));
    }

    @Test
    void aLogWithoutTheMarkersGivesNoPhasesRatherThanWrongOnes() throws Exception {
        ChildRun.Measurement m = new ChildRun.Measurement(0, 3.0, 2.0, 2.2, 4.0, 200_000, 0);

        StartupRun.Phases p = StartupRun.phases(m, dir.resolve("missing.log"));

        assertThat(p.jvmAndSetup()).isNaN();
        assertThat(p.miniCluster()).isNaN();
        assertThat(p.firstEvent()).isNaN();
        assertThat(p.shutdown()).isCloseTo(0.8, within(1e-9));
    }
}
