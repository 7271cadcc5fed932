package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logrotate's rename-then-SIGHUP, with a real signal sent to this JVM. */
class FileLineSighupTest {

    @TempDir Path dir;

    @Test
    void afterRenameAndSighupNewLinesGoToANewFileAtThePathAndNoneIsLost() throws Exception {
        // without our handler the JVM's default would end this test run: never signal without it
        assumeTrue(ReopenSignal.install(), "SIGHUP cannot be handled in this JVM (-Xrs?)");
        Path out = dir.resolve("eve-mle.log");
        Path rotated = dir.resolve("eve-mle.log.1");

        try (FileLineWriter w = new FileLineWriter(out, null)) {
            write(w, "{\"n\":1}", "{\"n\":2}");
            w.flush(false);
            Files.move(out, rotated);
            write(w, "{\"n\":3}"); // before the signal: still the renamed file

            long before = ReopenSignal.received();
            Process kill =
                    new ProcessBuilder(
                                    "kill", "-HUP", String.valueOf(ProcessHandle.current().pid()))
                            .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ReopenSignal.received() == before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ReopenSignal.received()).isGreaterThan(before);

            write(w, "{\"n\":4}", "{\"n\":5}");
            w.flush(false);

            assertThat(Files.readAllLines(rotated))
                    .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            assertThat(Files.readAllLines(out)).containsExactly("{\"n\":4}", "{\"n\":5}");
            // the checkpoint now refers to the new file
            assertThat(w.snapshotState(1))
                    .containsExactly(
                            new FileSinkState(
                                    out.toString(), FileLineWriterTest.key(out), Files.size(out)));
        }
    }

    private static void write(FileLineWriter w, String... lines) throws Exception {
        for (String line : lines) {
            w.write(Event.json(line.getBytes(StandardCharsets.UTF_8)), null);
        }
    }
}
