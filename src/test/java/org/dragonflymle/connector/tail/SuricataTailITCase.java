package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.connector.file.FileLineSink;
import org.dragonflymle.os.Executables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real writer: Suricata 7 reads two captures into EVE files (a rotation between the runs) while
 * a tail:// job follows them. Needs {@code suricata} on PATH and the captures bundled in
 * src/test/resources/pcap (from shared/data/pcap) (system property {@code dragonfly.pcapDir});
 * skipped otherwise.
 */
class SuricataTailITCase {

    private static final Path PCAPS =
            Path.of(System.getProperty("dragonfly.pcapDir", "src/test/resources/pcap"));

    @TempDir Path dir;

    @Test
    void everyEventSuricataWritesArrivesOnceAcrossARotation() throws Exception {
        assumeTrue(
                Executables.find("suricata") != null,
                "suricata is not installed (apt-get install -t bookworm-backports suricata)");
        assumeTrue(
                Files.isReadable(PCAPS.resolve("dns.pcap"))
                        && Files.isReadable(PCAPS.resolve("http.pcap")),
                "no captures in " + PCAPS + " (set -Ddragonfly.pcapDir)");
        Path logDir = Files.createDirectories(dir.resolve("suricata"));
        Path eve = logDir.resolve("eve.json");
        Path out = dir.resolve("out.json");

        StreamExecutionEnvironment env =
                TailJobs.environment(dir.resolve("chk"), new Configuration());
        env.fromSource(TailJobs.source(eve), WatermarkStrategy.noWatermarks(), "source:eve")
                .uid("source:eve")
                .sinkTo(new FileLineSink(out))
                .uid("output:out");
        JobClient job = env.executeAsync("suricata tail");
        List<String> expected = new ArrayList<>();
        try {
            suricata(PCAPS.resolve("dns.pcap"), logDir);
            Files.move(eve, logDir.resolve("eve.json.1"));
            expected.addAll(Files.readAllLines(logDir.resolve("eve.json.1")));
            suricata(PCAPS.resolve("http.pcap"), logDir);
            expected.addAll(Files.readAllLines(eve));
            assertThat(expected).hasSizeGreaterThan(200);
            TailJobs.awaitSteady(() -> TailJobs.countLines(out), expected.size());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(TailJobs.lines(out)).isEqualTo(expected);
    }

    private static void suricata(Path pcap, Path logDir) throws Exception {
        Path log = logDir.resolve("run.log");
        Process p =
                new ProcessBuilder(
                                "suricata",
                                "-r",
                                pcap.toString(),
                                "-k",
                                "none",
                                "--runmode",
                                "single",
                                "-l",
                                logDir.toString(),
                                "--set",
                                "outputs.1.eve-log.filetype=regular",
                                "--set",
                                "outputs.1.eve-log.filename=eve.json")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("suricata finished").isTrue();
        assertThat(p.exitValue())
                .as("suricata: %s", Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
    }
}
