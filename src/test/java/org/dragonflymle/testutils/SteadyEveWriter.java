package org.dragonflymle.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends numbered EVE lines ({@code "seq":N} first, then a real Suricata event) to a file at a
 * steady rate, as Suricata does, for jobs that follow it with {@code tail://}.
 */
public final class SteadyEveWriter implements AutoCloseable {

    private final List<String> sample = EveSamples.devLines();
    private final List<String> written = new ArrayList<>();
    private final OutputStream out;
    private final Duration every;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "eve-writer"));

    /** Writes one line every {@code every} once {@link #start()}ed. */
    public SteadyEveWriter(Path file, Duration every) throws IOException {
        this.out =
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.every = every;
    }

    public void start() {
        timer.scheduleAtFixedRate(this::writeOne, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void writeOne() {
        synchronized (written) {
            int seq = written.size();
            String line = "{\"seq\":" + seq + "," + sample.get(seq % sample.size()).substring(1);
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(line);
        }
    }

    /** Stops writing; the lines written so far stay. */
    public void stop() throws InterruptedException {
        timer.shutdown();
        assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    public int count() {
        synchronized (written) {
            return written.size();
        }
    }

    /** Every line written, in order (line N has seq N). */
    public List<String> lines() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        out.close();
    }
}
