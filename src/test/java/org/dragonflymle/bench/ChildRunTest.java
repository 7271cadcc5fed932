package org.dragonflymle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildRunTest {

    @TempDir Path dir;

    @Test
    void theOutputWindowExcludesTheTimeBeforeTheFirstAndAfterTheLastLine() throws Exception {
        Path out = dir.resolve("out");
        String script =
                "sleep 0.3; echo a > " + out + "; sleep 0.4; echo b >> " + out + "; sleep 0.6";

        ChildRun.Measurement m = ChildRun.run(List.of("sh", "-c", script), out, dir.resolve("log"));

        assertThat(m.exitCode()).isZero();
        assertThat(m.firstOutputSeconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(m.lastOutputSeconds() - m.firstOutputSeconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(m.wallSeconds() - m.lastOutputSeconds()).isGreaterThanOrEqualTo(0.5);
    }
}
