package org.dragonflymle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.dragonflymle.redis.server.RedisServerProcess;

/**
 * {@code scripts/bench}: runs the bundled pipelines in local mode (through the distribution's
 * launcher, {@code bin/dragonfly-mle}) on a generated input of real Suricata lines and prints, per
 * pipeline, the median over several runs of events/s, CPU seconds, peak RSS and time to first
 * output, with the ratio to a plain Jackson loop (the floor). Each run is a fresh JVM, as a user
 * would start it; every run's output is checked to hold every input line, so a fast wrong engine
 * does not score.
 *
 * <p>Start-up is measured on its own ({@link StartupRun}): a one-line replay, launch to the first
 * output line and to the exit, with where the time went.
 *
 * <p>events/s is measured from the first output line to the last (the processing rate: JVM and
 * MiniCluster start-up are reported separately as time to first output, and the shutdown after the
 * last event, about a second, is in neither); "whole run" divides by the full wall time, start-up
 * and shutdown included.
 */
public final class Bench {

    private record Row(
            String name,
            double eventsPerSecond,
            double wholeRunPerSecond,
            double cpu,
            double rssMb,
            double firstOutput) {}

    private final Path repo;
    private final Path work;
    private final List<String> javaCommand;
    private final long lines;
    private final int runs;
    private final Path source;
    private final Path launcher;
    private TailLatency.Result latency;
    private StartupRun.Result startup;

    /** Lines per second written to the file the latency run follows. */
    private static final int LATENCY_RATE = 10_000;

    private Bench(
            Path repo,
            Path work,
            List<String> javaCommand,
            long lines,
            int runs,
            Path source,
            Path launcher) {
        this.repo = repo;
        this.launcher = launcher;
        this.work = work;
        this.javaCommand = javaCommand;
        this.lines = lines;
        this.runs = runs;
        this.source = source;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        long lines = 1_000_000;
        int runs = 3;
        Path source = repo.resolve("examples/data/eve-sample.jsonl");
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "dragonfly-bench");
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n", "--lines" -> lines = Long.parseLong(args[++i]);
                case "-r", "--runs" -> runs = Integer.parseInt(args[++i]);
                case "-s", "--source" -> source = Path.of(args[++i]).toAbsolutePath();
                case "-w", "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "-p", "--pipelines" -> only.addAll(Arrays.asList(args[++i].split(",")));
                default -> {
                    System.err.println(
                            "usage: scripts/bench [-n LINES] [-r RUNS] [-s SOURCE] [-w WORKDIR]"
                                    + " [-p startup,floor,passthrough,hello-world,hello-world-tcp,hello-world-tcp-cN,hello-world-p2,dga,dga-shadow,"
                                    + "keyed-p1,keyed-p2,latency]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(work);
        List<String> java =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString()));
        java.addAll(Arrays.asList(System.getProperty("bench.jvmOpts", "").trim().split("\\s+")));
        java.removeIf(String::isEmpty);
        // the distribution's launcher (scripts/bench): the engine runs as a user starts it, with
        // the launcher's JVM flags and class-data-sharing archive
        Path launcher = Path.of(System.getProperty("bench.launcher", "bin/dragonfly-mle"));
        new Bench(repo, work, java, lines, runs, source, launcher).run(only);
    }

    private void run(List<String> only) throws Exception {
        System.out.printf(Locale.ROOT, "generating %,d lines from %s%n", lines, source);
        Path input = BenchInput.generate(source, lines, work);
        // the engine's class path: the application jar and Flink's jars (scripts/bench)
        String jar = System.getProperty("bench.classpath");
        List<Pipeline> pipelines = Pipeline.selected(only);
        Map<String, Row> rows = new LinkedHashMap<>();
        try (RedisServerProcess redis = RedisServerProcess.startOnFreePort()) {
            if (only.isEmpty() || only.contains("startup")) {
                Path one = work.resolve("one-line.jsonl");
                try (Stream<String> s = Files.lines(input)) {
                    Files.writeString(one, s.findFirst().orElseThrow() + "\n");
                }
                Path root =
                        prepareRoot(
                                repo.resolve("examples/passthrough"),
                                one,
                                redis,
                                UnaryOperator.identity());
                startup = StartupRun.measure(launcher, root, "passthrough.json", work, runs);
            }
            if (only.isEmpty() || only.contains("floor")) {
                rows.put(
                        "jackson floor",
                        measure(
                                "jackson floor",
                                out ->
                                        command(
                                                List.of(
                                                        "-cp",
                                                        jar,
                                                        JacksonFloor.class.getName(),
                                                        input.toString(),
                                                        out.toString())),
                                "floor.json",
                                lines));
            }
            for (Pipeline p : pipelines) {
                if (!only.isEmpty() && !only.contains(p.name())) {
                    continue;
                }
                Path example = repo.resolve("examples").resolve(p.example());
                if (!Files.isDirectory(example) || p.outputFile() == null) {
                    System.out.println(p.name() + ": not available in this build, skipped");
                    continue;
                }
                Path root = prepareRoot(example, input, redis, p.edit());
                rows.put(
                        p.name(),
                        measure(
                                p.name(),
                                out -> engine(root, out.getParent()),
                                p.outputFile(),
                                expectedLines(input, p.passes())));
            }
            if (only.isEmpty() || only.contains("latency")) {
                latency = measureLatency(input, redis);
            }
        }
        print(rows);
    }

    /** {@link TailLatency} on the passthrough example with its input followed by tail://. */
    private TailLatency.Result measureLatency(Path input, RedisServerProcess redis)
            throws Exception {
        Path dir = work.resolve("latency");
        deleteTree(dir);
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path eve = dir.resolve("eve.json");
        Path root =
                prepareRoot(
                        repo.resolve("examples/passthrough"),
                        input,
                        redis,
                        c -> c.replace("file://" + input, "tail://" + eve + "?start=beginning"));
        List<byte[]> sample;
        try (Stream<String> s = Files.lines(source)) {
            sample =
                    s.filter(l -> l.startsWith("{"))
                            .map(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toList();
        }
        TailLatency.Result r =
                new TailLatency(sample, LATENCY_RATE, 10, 20)
                        .run(
                                engine(root, logs),
                                eve,
                                logs.resolve("passthrough.json"),
                                work.resolve("latency.log"));
        System.out.printf(
                Locale.ROOT,
                "  %-14s %,d events at %,d/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                "tail latency",
                r.events(),
                r.ratePerSecond(),
                r.p50(),
                r.p99(),
                r.max());
        deleteTree(dir);
        return r;
    }

    private interface CommandFor {
        List<String> of(Path output);
    }

    /** The engine's launcher in local mode on {@code root}, logging to {@code logs}. */
    private List<String> engine(Path root, Path logs) {
        return List.of(launcher.toString(), "-r", root.toString(), "-l", logs.toString());
    }

    private List<String> command(List<String> args) {
        List<String> c = new ArrayList<>(javaCommand);
        c.addAll(args);
        return c;
    }

    private Row measure(String name, CommandFor command, String outputFile, long expectedLines)
            throws Exception {
        List<ChildRun.Measurement> ms = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Path logs = work.resolve("runs").resolve(name.replace(' ', '-') + "-" + r);
            deleteTree(logs);
            Files.createDirectories(logs);
            Path output = logs.resolve(outputFile);
            ChildRun.Measurement m =
                    ChildRun.run(
                            command.of(output),
                            output,
                            work.resolve(name.replace(' ', '-') + ".log"));
            if (m.exitCode() != 0) {
                throw new IllegalStateException(
                        name + " exited with " + m.exitCode() + "; see " + work);
            }
            long outLines;
            try (Stream<String> s = Files.lines(output)) {
                outLines = s.count();
            }
            if (outLines != expectedLines) {
                throw new IllegalStateException(
                        name + " wrote " + outLines + " lines, expected " + expectedLines);
            }
            double steady = processingRate(m);
            System.out.printf(
                    Locale.ROOT,
                    "  %-14s run %d: %,10.0f events/s, %5.1f s wall, %5.1f CPU s, %5.0f MB peak RSS, output from %4.1f s to %4.1f s%n",
                    name,
                    r,
                    steady,
                    m.wallSeconds(),
                    m.cpuSeconds(),
                    m.peakRssKb() / 1024.0,
                    m.firstOutputSeconds(),
                    m.lastOutputSeconds());
            ms.add(m);
            deleteTree(logs);
        }
        return new Row(
                name,
                median(ms.stream().mapToDouble(this::processingRate).toArray()),
                median(ms.stream().mapToDouble(m -> lines / m.wallSeconds()).toArray()),
                median(ms.stream().mapToDouble(ChildRun.Measurement::cpuSeconds).toArray()),
                median(ms.stream().mapToDouble(m -> m.peakRssKb() / 1024.0).toArray()),
                median(
                        ms.stream()
                                .mapToDouble(ChildRun.Measurement::firstOutputSeconds)
                                .toArray()));
    }

    /** Events per second between the first and the last output line. */
    private double processingRate(ChildRun.Measurement m) {
        return lines / Math.max(1e-9, m.lastOutputSeconds() - m.firstOutputSeconds());
    }

    /** How many lines of the input the pipeline's filter passes on. */
    private static long expectedLines(Path input, Predicate<String> passes) throws IOException {
        try (Stream<String> s = Files.lines(input)) {
            return s.filter(passes).count();
        }
    }

    /**
     * Copies an example and points it at the generated input and the bench's redis-server: through
     * its Unix socket, as the launcher does with a server it starts itself (an {@code edit} may
     * remove the {@code redis_host} line to measure loopback TCP instead).
     */
    private Path prepareRoot(
            Path example, Path input, RedisServerProcess redis, UnaryOperator<String> edit)
            throws IOException {
        Path root = work.resolve("roots").resolve(example.getFileName());
        deleteTree(root);
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.toList()) {
                Path target = root.resolve(example.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path config = root.resolve("config/config.lua");
        String text =
                Files.readString(config)
                        .replace("file://../data/eve-sample.jsonl", "file://" + input)
                        .replaceAll("(?m)^redis_(host|port)\\s*=.*$", "");
        String redisSettings =
                (redis.unixSocket() == null ? "" : "\nredis_host = \"" + redis.unixSocket() + "\"")
                        + "\nredis_port = "
                        + redis.port()
                        + "\n";
        Files.writeString(config, edit.apply(text + redisSettings));
        return root;
    }

    private void print(Map<String, Row> rows) {
        Row floor = rows.get("jackson floor");
        System.out.printf(
                Locale.ROOT,
                "%n%,d lines, median of %d runs, %d cores%n",
                lines,
                runs,
                Runtime.getRuntime().availableProcessors());
        if (!rows.isEmpty()) {
            System.out.println(
                    "| pipeline | events/s | whole run events/s | CPU s | peak RSS MB | first output s | vs floor |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        }
        for (Row r : rows.values()) {
            String ratio =
                    floor == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2fx",
                                    r.eventsPerSecond() / floor.eventsPerSecond());
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %.1f | %.0f | %.1f | %s |%n",
                    r.name(),
                    r.eventsPerSecond(),
                    r.wholeRunPerSecond(),
                    r.cpu(),
                    r.rssMb(),
                    r.firstOutput(),
                    ratio);
        }
        Row passthrough = rows.get("passthrough");
        if (startup != null) {
            StartupRun.print(startup);
        }
        if (latency != null) {
            System.out.printf(
                    Locale.ROOT,
                    "tail:// latency (line written to eve.json -> line in the output file),"
                            + " %,d events at %,d/s after a 10 s warm-up: p50 %.1f ms, p99 %.1f"
                            + " ms, max %.1f ms%n",
                    latency.events(),
                    latency.ratePerSecond(),
                    latency.p50(),
                    latency.p99(),
                    latency.max());
        }
        StringBuilder summary = new StringBuilder("summary:");
        rows.values()
                .forEach(
                        r ->
                                summary.append(
                                        String.format(
                                                Locale.ROOT,
                                                " %s %,.0f/s;",
                                                r.name(),
                                                r.eventsPerSecond())));
        if (startup != null) {
            summary.append(
                    String.format(
                            Locale.ROOT,
                            " start-up %.2f s to first output, %.2f s to exit, %.0f MB;",
                            startup.firstOutput(),
                            startup.exit(),
                            startup.rssMb()));
        }
        if (passthrough != null) {
            summary.append(
                    String.format(Locale.ROOT, " passthrough RSS %.0f MB;", passthrough.rssMb()));
        }
        if (latency != null) {
            summary.append(
                    String.format(
                            Locale.ROOT,
                            " tail latency p50 %.1f ms p99 %.1f ms;",
                            latency.p50(),
                            latency.p99()));
        }
        System.out.println(summary);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
