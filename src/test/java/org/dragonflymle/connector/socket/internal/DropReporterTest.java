package org.dragonflymle.connector.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.SimpleCounter;
import org.dragonflymle.testutils.RedisLogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DropReporterTest {

    @Test
    void countsEveryDropButLogsAtMostOncePerInterval() {
        SimpleCounter counter = new SimpleCounter();
        AtomicLong now = new AtomicLong();
        try (RedisLogCapture log = RedisLogCapture.of(DropReporterTest.class)) {
            DropReporter drops =
                    new DropReporter(
                            "ipc:///x.sock input",
                            LoggerFactory.getLogger(DropReporterTest.class),
                            counter,
                            TimeUnit.SECONDS.toNanos(10),
                            now::get);

            drops.dropped(1, "buffer full");
            for (int i = 0; i < 999; i++) {
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
                drops.dropped(1, "buffer full");
            }
            assertThat(counter.getCount()).isEqualTo(1000);
            assertThat(log.lines())
                    .containsExactly(
                            "WARN ipc:///x.sock input: dropped 1 events (buffer full); 1 dropped"
                                    + " since start");

            now.addAndGet(TimeUnit.SECONDS.toNanos(6));
            drops.reportIfDue();
            drops.reportNow(); // nothing left to report
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(1)).contains("dropped 999 events").contains("1000 dropped");
        }
    }
}
