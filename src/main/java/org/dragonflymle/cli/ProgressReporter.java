package org.dragonflymle.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.metrics.StageTallies;

/**
 * The progress of a run on the terminal, from the stages' accumulators: events read by the input
 * stages, events per second, and – when every input is a {@code file://} – the share of the input
 * bytes read. On a terminal one line is rewritten in place every second; otherwise (a log, a pipe)
 * a plain line is printed every {@value #PLAIN_EVERY_MILLIS} ms.
 *
 * <pre>
 * dragonfly-mle: 482,113 events read, 61,020 events/s, 44.1% of 512.3 MB, 3 errors
 * </pre>
 */
final class ProgressReporter {

    static final long PLAIN_EVERY_MILLIS = 10_000;

    private final PipelineSpec spec;
    private final PrintStream err;
    private final boolean tty;
    private final boolean off;
    private final long totalBytes;
    private long lastPrintMillis;
    private long lastEvents;
    private int lastWidth;

    /**
     * @param mode {@code auto}, {@code tty}, {@code plain} or {@code off}
     */
    ProgressReporter(PipelineSpec spec, String mode, PrintStream err, long startMillis) {
        this.spec = spec;
        this.err = err;
        this.off = mode.equals("off");
        this.tty =
                mode.equals("tty")
                        || (mode.equals("auto") && err == System.err && System.console() != null);
        this.totalBytes = inputBytes(spec.inputs());
        this.lastPrintMillis = startMillis;
    }

    /** The size of the inputs when they are all plain files, else -1 (no percentage). */
    static long inputBytes(List<StageSpec> inputs) {
        long total = 0;
        for (StageSpec s : inputs) {
            URI uri = URI.create(s.uri());
            if (!"file".equals(uri.getScheme())) {
                return -1;
            }
            try {
                total += Files.size(Path.of(uri.getPath()));
            } catch (Exception e) {
                return -1;
            }
        }
        return total;
    }

    /** Called about once a second with the job's accumulators. */
    void update(Map<String, Object> accumulators, long nowMillis) {
        if (off) {
            return;
        }
        long elapsed = nowMillis - lastPrintMillis;
        if (!tty && elapsed < PLAIN_EVERY_MILLIS) {
            return;
        }
        long events = 0;
        long bytes = 0;
        long errors = 0;
        for (StageSpec s : spec.inputs()) {
            StageTallies.Stage t = StageTallies.read(accumulators, s.tag());
            events += t.in();
            bytes += t.bytesIn();
        }
        for (StageSpec s : spec.analyzers()) {
            errors += StageTallies.read(accumulators, s.tag()).errorCount();
        }
        for (StageSpec s : spec.inputs()) {
            errors += StageTallies.read(accumulators, s.tag()).errorCount();
        }
        double rate = elapsed <= 0 ? 0 : (events - lastEvents) * 1000.0 / elapsed;
        String line = line(events, rate, bytes, errors);
        if (tty) {
            String padded = line + " ".repeat(Math.max(0, lastWidth - line.length()));
            err.print("\r" + padded);
            err.flush();
            lastWidth = line.length();
        } else {
            err.println(line);
        }
        lastPrintMillis = nowMillis;
        lastEvents = events;
    }

    String line(long events, double rate, long bytes, long errors) {
        StringBuilder b = new StringBuilder("dragonfly-mle: ");
        b.append(String.format(Locale.ROOT, "%,d events read, %,.0f events/s", events, rate));
        if (totalBytes > 0) {
            double pct = Math.min(100.0, bytes * 100.0 / totalBytes);
            b.append(String.format(Locale.ROOT, ", %.1f%% of %s", pct, size(totalBytes)));
        }
        if (errors > 0) {
            b.append(
                    String.format(
                            Locale.ROOT, ", %,d %s", errors, errors == 1 ? "error" : "errors"));
        }
        return b.toString();
    }

    /** Ends the in-place line so what follows starts on its own line. */
    void end() {
        if (tty && lastWidth > 0) {
            err.println();
            lastWidth = 0;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
