package org.dragonflymle.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a reload costs a running sensor ({@code scripts/bench-reload}): a writer appends lines to a
 * file at a steady rate, the engine follows it with {@code tail://} through one analyzer into a
 * {@code file://} output, a reader follows that output, and half-way the analyzer's script is
 * edited and {@code dragonfly-mle reload} is run. Reported: the switch time the engine prints, the
 * longest gap between two output lines, the latency (line written to line in the output) before and
 * during the switch, how many lines were delayed more than 100 ms, and that every line came out
 * exactly once, the old version's before the new one's.
 *
 * <p>The engine starts its own redis-server (nothing answers on the configured port), as a sensor's
 * local run does, and keeps it across the switch.
 */
public final class ReloadSwitch {

    /** Lines written in the first seconds (JIT, first checkpoint) count for loss, not latency. */
    private static final int WARMUP_SECONDS = 5;

    private ReloadSwitch() {}

    /**
     * @param args {@code RATE SECONDS_BEFORE SECONDS_AFTER}; the class path of the engine is the
     *     system property {@code bench.classpath}, its JVM options {@code bench.jvmOpts}
     */
    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int before = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int after = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(Arrays.asList(System.getProperty("bench.jvmOpts", "").trim().split("\\s+")));
        java.add("-cp");
        java.add(System.getProperty("bench.classpath"));
        java.add("org.dragonflymle.cli.Main");
        Path dir = Files.createTempDirectory("dragonfly-bench-reload-");
        Path eve = Files.createFile(dir.resolve("eve.json"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path root = dir.resolve("root");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing answers there: the engine starts its redis-server
        }
        write(
                root.resolve("config/config.lua"),
                ("redis_port = %d\ninputs = { { tag=\"eve\", uri=\"tail://%s?start=beginning\","
                                + " script=\"pass.lua\", default_analyzer=\"tag\" } }\n"
                                + "analyzers = { { tag=\"tag\", script=\"tag.lua\","
                                + " default_output=\"out\" } }\n"
                                + "outputs = { { tag=\"out\", uri=\"file://out.json\" } }\n")
                        .formatted(port, eve));
        write(
                root.resolve("filter/pass.lua"),
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        write(root.resolve("analyzer/tag.lua"), tagger(1));
        List<String> engine = new ArrayList<>(java);
        engine.addAll(
                List.of(
                        "-r",
                        root.toString(),
                        "-l",
                        logs.toString(),
                        "--www-port=-1",
                        "--progress=off"));
        ProcessBuilder pb =
                new ProcessBuilder(engine)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("engine.txt").toFile());
        pb.environment().put("_JAVA_SR_SIGNUM", "40");
        Process p = pb.start();
        int capacity = (before + after + 180) * rate;
        long[] written = new long[capacity];
        long[] seen = new long[capacity];
        int[] times = new int[capacity];
        int[] version = new int[capacity];
        AtomicLong count = new AtomicLong();
        Path output = logs.resolve("out.json");
        try {
            awaitFirstOutput(p, eve, output, written, count);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(before + after);
            Thread writer = new Thread(() -> write(eve, rate, written, count, end), "writer");
            writer.start();
            Follower follower = new Follower(FileChannel.open(output, StandardOpenOption.READ));
            long reloadAt = start + TimeUnit.SECONDS.toNanos(before);
            String reply = null;
            long reloadStarted = 0;
            long reloadEnded = 0;
            while (writer.isAlive() || follower.lines < count.get()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the engine exited; see " + dir);
                }
                follower.read(seen, times, version);
                if (reply == null && System.nanoTime() >= reloadAt) {
                    write(root.resolve("analyzer/tag.lua"), tagger(2));
                    List<String> reload = new ArrayList<>(java);
                    reload.addAll(List.of("reload", "-l", logs.toString()));
                    reloadStarted = System.nanoTime();
                    Process r = new ProcessBuilder(reload).redirectErrorStream(true).start();
                    // the reader goes on while the reload runs
                    while (r.isAlive()) {
                        follower.read(seen, times, version);
                        LockSupport.parkNanos(1_000_000);
                    }
                    reloadEnded = System.nanoTime();
                    reply = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (r.exitValue() != 0) {
                        throw new IllegalStateException("the reload failed:\n" + reply);
                    }
                }
                if (!writer.isAlive() && System.nanoTime() > end + 60e9) {
                    throw new IllegalStateException(
                            "only " + follower.lines + " of " + count.get() + " lines came out");
                }
                LockSupport.parkNanos(1_000_000);
            }
            report(
                    count.get(),
                    written,
                    seen,
                    times,
                    version,
                    start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS),
                    reloadStarted,
                    reloadEnded,
                    reply);
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            System.out.println("  (engine terminal and files in " + dir + ")");
        }
    }

    private static void report(
            long n,
            long[] written,
            long[] seen,
            int[] times,
            int[] version,
            long warm,
            long reloadStarted,
            long reloadEnded,
            String reply) {
        int missing = 0;
        int repeated = 0;
        int delayed = 0;
        List<Double> before = new ArrayList<>();
        double maxDuring = 0;
        int firstNew = -1;
        boolean ordered = true;
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (times[i] == 0) {
                missing++;
                continue;
            }
            repeated += times[i] - 1;
            if (written[i] < warm) {
                continue;
            }
            arrivals.add(seen[i]);
            double ms = (seen[i] - written[i]) / 1e6;
            if (ms > 100) {
                delayed++;
            }
            if (written[i] < reloadStarted) {
                before.add(ms);
            }
            if (written[i] >= reloadStarted - 1_000_000_000L && written[i] <= reloadEnded) {
                maxDuring = Math.max(maxDuring, ms);
            }
            if (version[i] == 2 && firstNew < 0) {
                firstNew = i;
            }
            if (firstNew >= 0 && version[i] == 1) {
                ordered = false;
            }
        }
        arrivals.sort(null);
        long gap = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            gap = Math.max(gap, arrivals.get(i) - arrivals.get(i - 1));
        }
        before.sort(null);
        System.out.println("reload reply:");
        reply.lines().forEach(l -> System.out.println("  " + l));
        System.out.printf(
                Locale.ROOT,
                "%,d lines: missing %d, repeated %d, old version after the new one: %s%n"
                        + "reload command: %.2f s; longest gap between two output lines: %.0f ms%n"
                        + "latency before the reload: p50 %.1f ms, p99 %.1f ms, max %.0f ms;"
                        + " max %.0f ms for lines written during it; %,d lines delayed more than"
                        + " 100 ms%n",
                n,
                missing,
                repeated,
                ordered ? "no" : "YES",
                (reloadEnded - reloadStarted) / 1e9,
                gap / 1e6,
                at(before, 0.50),
                at(before, 0.99),
                at(before, 1.0),
                maxDuring,
                delayed);
    }

    private static double at(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String tagger(int v) {
        return "function loop(msg)\n  msg.version = "
                + v
                + "\n  dragonfly.output_event(default_output, msg)\nend\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static byte[] line(int seq) {
        return ("{\"seq\":" + seq + ",\"event_type\":\"dns\",\"dns\":{\"rrname\":\"a.example\"}}\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitFirstOutput(
            Process p, Path eve, Path output, long[] written, AtomicLong count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (OutputStream out = new FileOutputStream(eve.toFile(), true)) {
            while (!Files.exists(output) || Files.size(output) == 0) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
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

    private static void write(Path eve, int rate, long[] written, AtomicLong count, long end) {
        try (OutputStream out = new FileOutputStream(eve.toFile(), true)) {
            long start = System.nanoTime();
            long first = count.get();
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = first + (now - start) * rate / 1_000_000_000L;
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
            throw new UncheckedIOException(e);
        }
    }

    /** Follows the output: when each line was first seen, how often, and its version. */
    private static final class Follower {
        private final FileChannel in;
        private final ByteBuffer buf = ByteBuffer.allocate(4 << 20);
        long lines;

        Follower(FileChannel in) {
            this.in = in;
        }

        void read(long[] seen, int[] times, int[] version) throws IOException {
            while (in.read(buf) > 0) {
                long now = System.nanoTime();
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < buf.position(); i++) {
                    if (a[i] == '\n') {
                        String l = new String(a, start, i - start, StandardCharsets.US_ASCII);
                        int seq = number(l, "\"seq\":");
                        if (seq >= 0 && seq < seen.length) {
                            if (times[seq]++ == 0) {
                                seen[seq] = now;
                                lines++;
                            }
                            version[seq] = number(l, "\"version\":");
                        }
                        start = i + 1;
                    }
                }
                buf.limit(buf.position()).position(start);
                buf.compact();
            }
        }

        private static int number(String line, String key) {
            int at = line.indexOf(key);
            if (at < 0) {
                return -1;
            }
            int i = at + key.length();
            int v = 0;
            for (; i < line.length() && Character.isDigit(line.charAt(i)); i++) {
                v = v * 10 + (line.charAt(i) - '0');
            }
            return v;
        }
    }
}
