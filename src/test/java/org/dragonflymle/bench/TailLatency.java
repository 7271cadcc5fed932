package org.dragonflymle.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The streaming latency of the engine as a sensor sees it: a writer appends real EVE lines to a
 * file at a steady rate, as Suricata appends to eve.json, the engine follows it with {@code
 * tail://} through the passthrough pipeline into a {@code file://} output, and a reader follows
 * that output. Latency is the time from the {@code write(2)} of a line to the moment the reader
 * finds it in the output file.
 *
 * <p>Each line is a line of the sample with a sequence number put first ({@code
 * {"bench_seq":N,...}}), so the output line names its write time. Lines are written in small
 * batches every millisecond; the reader looks at the output every millisecond, which adds up to 1
 * ms to each figure. Only lines written after a warm-up (JIT, first checkpoint) are counted.
 */
final class TailLatency {

    /** The measured figures; times in milliseconds. */
    record Result(long events, double p50, double p99, double max, int ratePerSecond) {}

    private static final byte[] PREFIX = "{\"bench_seq\":".getBytes(StandardCharsets.US_ASCII);

    private final List<byte[]> sample;
    private final int ratePerSecond;
    private final long warmupNanos;
    private final long measureNanos;

    TailLatency(List<byte[]> sample, int ratePerSecond, long warmupSeconds, long measureSeconds) {
        this.sample = sample;
        this.ratePerSecond = ratePerSecond;
        this.warmupNanos = TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.measureNanos = TimeUnit.SECONDS.toNanos(measureSeconds);
    }

    /**
     * Runs the engine with {@code command} on a root whose input follows {@code eve} and whose
     * output is {@code output}, then stops it.
     */
    Result run(List<String> command, Path eve, Path output, Path log) throws Exception {
        Files.deleteIfExists(eve);
        Files.createFile(eve);
        Process engine =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int capacity = (int) ((warmupNanos + measureNanos) / 1_000_000_000L + 120) * ratePerSecond;
        long[] written = new long[capacity];
        long[] seen = new long[capacity];
        AtomicLong count = new AtomicLong();
        try {
            awaitFirstOutput(engine, eve, output, written, count);
            long measureFrom = count.get();
            long start = System.nanoTime();
            Thread writer =
                    new Thread(
                            () -> write(eve, written, count, start + warmupNanos + measureNanos),
                            "bench-writer");
            writer.start();
            long firstMeasured = -1;
            try (FileChannel in = FileChannel.open(output, StandardOpenOption.READ)) {
                OutputFollower follower = new OutputFollower(in);
                while (writer.isAlive() || follower.received() < count.get()) {
                    if (!engine.isAlive()) {
                        throw new IllegalStateException(
                                "the engine exited with " + engine.exitValue() + "; see " + log);
                    }
                    follower.readInto(seen);
                    if (firstMeasured < 0 && System.nanoTime() - start > warmupNanos) {
                        firstMeasured = count.get();
                    }
                    if (!writer.isAlive()
                            && System.nanoTime() - start > warmupNanos + measureNanos + 30e9) {
                        throw new IllegalStateException(
                                "only "
                                        + follower.received()
                                        + " of "
                                        + count.get()
                                        + " lines reached the output");
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }
            writer.join();
            long lastMeasured = count.get();
            if (firstMeasured < measureFrom) {
                firstMeasured = measureFrom;
            }
            double[] ms = new double[(int) (lastMeasured - firstMeasured)];
            for (int i = 0; i < ms.length; i++) {
                int seq = (int) (firstMeasured + i);
                if (seen[seq] == 0) {
                    throw new IllegalStateException("line " + seq + " never reached the output");
                }
                ms[i] = (seen[seq] - written[seq]) / 1e6;
            }
            Arrays.sort(ms);
            return new Result(
                    ms.length,
                    percentile(ms, 0.50),
                    percentile(ms, 0.99),
                    ms[ms.length - 1],
                    ratePerSecond);
        } finally {
            engine.destroy();
            if (!engine.waitFor(30, TimeUnit.SECONDS)) {
                engine.destroyForcibly();
            }
        }
    }

    /** Writes one line at a time until the engine's first output line shows it is running. */
    private void awaitFirstOutput(
            Process engine, Path eve, Path output, long[] written, AtomicLong count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (OutputStream out = new FileOutputStream(eve.toFile(), true)) {
            while (!Files.exists(output) || Files.size(output) == 0) {
                if (!engine.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the engine wrote no output");
                }
                int seq = (int) count.get();
                written[seq] = System.nanoTime();
                out.write(line(seq));
                count.incrementAndGet();
                Thread.sleep(100);
            }
        }
    }

    /** Appends lines at the rate until {@code end}, a batch per millisecond, one write each. */
    private void write(Path eve, long[] written, AtomicLong count, long end) {
        try (OutputStream out = new FileOutputStream(eve.toFile(), true)) {
            long start = System.nanoTime();
            long first = count.get();
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = first + (now - start) * ratePerSecond / 1_000_000_000L;
                int from = (int) count.get();
                if (due > from) {
                    java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
                    for (int seq = from; seq < due; seq++) {
                        batch.write(line(seq));
                    }
                    long t = System.nanoTime();
                    for (int seq = from; seq < due; seq++) {
                        written[seq] = t;
                    }
                    batch.writeTo(out);
                    count.set(due);
                }
                LockSupport.parkNanos(1_000_000);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sample line {@code seq % size} with {@code "bench_seq":seq} as its first member. */
    byte[] line(int seq) {
        byte[] original = sample.get(seq % sample.size());
        byte[] number = Integer.toString(seq).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[PREFIX.length + number.length + 1 + original.length];
        System.arraycopy(PREFIX, 0, line, 0, PREFIX.length);
        System.arraycopy(number, 0, line, PREFIX.length, number.length);
        line[PREFIX.length + number.length] = ',';
        // the original without its opening brace, with its newline
        System.arraycopy(original, 1, line, PREFIX.length + number.length + 1, original.length - 1);
        line[line.length - 1] = '\n';
        return line;
    }

    /** The sequence number of an output line, or -1 for a line the harness did not write. */
    static int sequenceOf(byte[] buf, int from, int to) {
        if (to - from <= PREFIX.length) {
            return -1;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (buf[from + i] != PREFIX[i]) {
                return -1;
            }
        }
        int seq = 0;
        int i = from + PREFIX.length;
        for (; i < to && buf[i] >= '0' && buf[i] <= '9'; i++) {
            seq = seq * 10 + (buf[i] - '0');
        }
        return i > from + PREFIX.length ? seq : -1;
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Reads the engine's output as it grows and notes when each line was first seen. */
    private static final class OutputFollower {
        private final FileChannel in;
        private final ByteBuffer buf = ByteBuffer.allocate(4 << 20);
        private long received;

        OutputFollower(FileChannel in) {
            this.in = in;
        }

        long received() {
            return received;
        }

        void readInto(long[] seen) throws IOException {
            while (in.read(buf) > 0) {
                long now = System.nanoTime();
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < buf.position(); i++) {
                    if (a[i] == '\n') {
                        int seq = sequenceOf(a, start, i);
                        if (seq >= 0 && seq < seen.length && seen[seq] == 0) {
                            seen[seq] = now;
                            received++;
                        }
                        start = i + 1;
                    }
                }
                buf.limit(buf.position()).position(start);
                buf.compact();
            }
        }
    }
}
