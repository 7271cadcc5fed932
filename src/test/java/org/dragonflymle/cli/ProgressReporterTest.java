package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.CheckpointSpec;
import org.dragonflymle.config.Limits;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressReporterTest {

    @TempDir Path dir;

    private PipelineSpec spec(String uri) {
        StageSpec eve =
                new StageSpec(
                        StageKind.INPUT,
                        1,
                        "eve",
                        uri,
                        dir.resolve("filter/f.lua"),
                        "a",
                        null,
                        null,
                        1,
                        Set.of("a"),
                        Set.of(),
                        false);
        return new PipelineSpec(
                dir,
                dir,
                dir.resolve("config/config.lua"),
                RedisSpec.defaults(),
                List.of(eve),
                List.of(),
                List.of(),
                CheckpointSpec.defaults(),
                Limits.defaults());
    }

    private static Map<String, Object> read(long events, long bytes) {
        return Map.of("dragonfly.eve.in", events, "dragonfly.eve.bytes_in", bytes);
    }

    @Test
    void aTerminalGetsOneLineRewrittenEverySecondWithRateAndShareOfTheFile() throws Exception {
        Path input = dir.resolve("eve.json");
        Files.write(input, new byte[2 * 1024 * 1024]);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressReporter p = new ProgressReporter(spec("file://" + input), "tty", err, 0);

        p.update(read(12_000, 1024 * 1024), 1_000);
        p.update(read(30_500, 2 * 1024 * 1024), 2_000);
        p.end();

        assertThat(buf.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "\rdragonfly-mle: 12,000 events read, 12,000 events/s, 50.0% of 2.0 MB"
                                + "\rdragonfly-mle: 30,500 events read, 18,500 events/s, 100.0% of 2.0 MB\n");
    }

    @Test
    void elsewhereAPlainLineEveryTenSecondsAndNoShareForAStream() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressReporter p =
                new ProgressReporter(spec("tail:///var/log/eve.json"), "plain", err, 0);

        p.update(read(1, 1), 1_000);
        p.update(read(50_000, 1), 9_999);
        p.update(read(100_000, 1), 10_000);
        p.update(read(100_001, 1), 11_000);
        p.end();

        assertThat(buf.toString(StandardCharsets.UTF_8))
                .isEqualTo("dragonfly-mle: 100,000 events read, 10,000 events/s\n");
    }

    @Test
    void errorsAreCountedAndOffIsSilent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        new ProgressReporter(spec("tail:///x"), "off", err, 0).update(read(5, 5), 60_000);
        assertThat(buf.size()).isZero();

        ProgressReporter p = new ProgressReporter(spec("tail:///x"), "plain", err, 0);
        assertThat(p.line(7, 1.4, 0, 3))
                .isEqualTo("dragonfly-mle: 7 events read, 1 events/s, 3 errors");
        assertThat(ProgressReporter.size(1536)).isEqualTo("1.5 KB");
    }

    @Test
    void operatorFlagsAreTakenOutOfTheCommandLine() throws Exception {
        OperatorFlags.Split s =
                OperatorFlags.extract(
                        new String[] {
                            "-r",
                            "x",
                            "--explain=dot",
                            "--progress=plain",
                            "--www-port=0",
                            "--stats-interval=5",
                            "--metrics-port=9249",
                            "--parallelism.default=2"
                        });

        assertThat(s.rest()).containsExactly("-r", "x", "--parallelism.default=2");
        assertThat(s.flags()).isEqualTo(new OperatorFlags("dot", "plain", 0, false, 5, 9249));
        assertThat(OperatorFlags.extract(new String[] {}).flags().metricsPort())
                .as("no reporter by default")
                .isEqualTo(-1);
        assertThat(OperatorFlags.extract(new String[] {"--explain"}).flags().explain())
                .isEqualTo("text");
        assertThat(OperatorFlags.extract(new String[] {"--www-port=7171"}).flags().wwwPortFixed())
                .isTrue();
        assertThatThrownBy(() -> OperatorFlags.extract(new String[] {"--progress=loud"}))
                .hasMessageContaining("auto, tty, plain or off");
        assertThatThrownBy(() -> OperatorFlags.extract(new String[] {"--stats-interval=0"}))
                .hasMessageContaining(">= 1");
        for (String bad :
                new String[] {"--metrics-port=0", "--metrics-port=65536", "--metrics-port=x"}) {
            assertThatThrownBy(() -> OperatorFlags.extract(new String[] {bad}))
                    .hasMessageContaining("--metrics-port takes a port number");
        }
    }
}
