package org.dragonflymle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.testutils.RedisCluster;
import redis.clients.jedis.Jedis;

/**
 * {@code scripts/bench --redis}: the hello-world example (one {@code INCR} per event) against one
 * redis-server and against a real 3-master Redis Cluster (each master with a replica), at analyzer
 * parallelism 1, 2 and 4. Per run: events/s (first to last output line, as {@link Bench}), and per
 * Redis master the {@code INCR} calls/s it served and its CPU microseconds per call (from {@code
 * INFO commandstats} and {@code /proc/PID/stat} before and after), so the per-call cost of each
 * deployment can be read off and scaled to other hardware. Every run's output is checked to hold
 * every input line, and the masters' INCR calls to add up to the events.
 */
public final class RedisBench {

    private record Deployment(String name, List<RedisServerProcess> masters, String config) {}

    /** One master's share of a run. */
    private record NodeRun(long calls, double cpuSeconds) {}

    private record Run(double eventsPerSecond, double seconds, List<NodeRun> nodes) {}

    private final Path repo;
    private final Path work;
    private final Path launcher;
    private final long lines;
    private final int runs;

    private RedisBench(Path repo, Path work, Path launcher, long lines, int runs) {
        this.repo = repo;
        this.work = work;
        this.launcher = launcher;
        this.lines = lines;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "dragonfly-bench");
        long lines = 300_000;
        int runs = 3;
        List<Integer> parallelisms = List.of(1, 2, 4);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--redis" -> {}
                case "-n", "--lines" -> lines = Long.parseLong(args[++i]);
                case "-r", "--runs" -> runs = Integer.parseInt(args[++i]);
                case "-w", "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "-P", "--parallelism" ->
                        parallelisms =
                                Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                default -> {
                    System.err.println(
                            "usage: scripts/bench --redis [-n LINES] [-r RUNS] [-w WORKDIR]"
                                    + " [-P 1,2,4]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(work);
        // the distribution's launcher (scripts/bench), as for Bench's pipelines
        Path launcher = Path.of(System.getProperty("bench.launcher", "bin/dragonfly-mle"));
        new RedisBench(repo, work, launcher, lines, runs).run(parallelisms);
    }

    private void run(List<Integer> parallelisms) throws Exception {
        Path input =
                BenchInput.generate(repo.resolve("examples/data/eve-sample.jsonl"), lines, work);
        List<String> table = new ArrayList<>();
        try (RedisServerProcess one = RedisServerProcess.startOnFreePort();
                RedisCluster cluster = RedisCluster.builder().start()) {
            List<Deployment> deployments =
                    List.of(
                            new Deployment(
                                    "one server",
                                    List.of(one),
                                    "redis_host = \"127.0.0.1\"\nredis_port = "
                                            + one.port()
                                            + "\n"),
                            new Deployment(
                                    "cluster 3+3",
                                    cluster.nodes().subList(0, 3),
                                    cluster.configLua() + "\n"));
            for (Deployment d : deployments) {
                for (int p : parallelisms) {
                    table.add(measure(d, p, input));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nhello-world, %,d lines, median of %d runs, %d cores; Redis over loopback TCP%n",
                lines,
                runs,
                Runtime.getRuntime().availableProcessors());
        System.out.println(
                "| Redis | analyzer parallelism | events/s | INCR calls/s per master |"
                        + " Redis CPU µs per call, per master |");
        System.out.println("| --- | ---: | ---: | --- | --- |");
        table.forEach(System.out::println);
    }

    /** {@link #runs} runs of hello-world at parallelism {@code p}; one table row of medians. */
    private String measure(Deployment d, int p, Path input) throws Exception {
        Path root = prepareRoot(input, d.config(), p);
        List<Run> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            for (RedisServerProcess m : d.masters()) {
                try (Jedis j = jedis(m)) {
                    j.flushAll();
                    j.configResetStat();
                }
            }
            double[] cpuBefore = d.masters().stream().mapToDouble(RedisBench::cpuOf).toArray();
            Path logs = work.resolve("runs").resolve("redis-" + r);
            Bench.deleteTree(logs);
            Files.createDirectories(logs);
            Path output = logs.resolve("hello-world-events.json");
            List<String> command =
                    List.of(launcher.toString(), "-r", root.toString(), "-l", logs.toString());
            ChildRun.Measurement m = ChildRun.run(command, output, work.resolve("redis.log"));
            if (m.exitCode() != 0) {
                throw new IllegalStateException(
                        d.name() + " p" + p + " exited with " + m.exitCode() + "; see " + work);
            }
            long out;
            try (Stream<String> s = Files.lines(output)) {
                out = s.count();
            }
            List<NodeRun> nodes = new ArrayList<>();
            long calls = 0;
            for (int i = 0; i < d.masters().size(); i++) {
                RedisServerProcess master = d.masters().get(i);
                long c = incrCalls(master);
                calls += c;
                nodes.add(new NodeRun(c, cpuOf(master) - cpuBefore[i]));
            }
            if (out != lines || calls != lines) {
                throw new IllegalStateException(
                        d.name()
                                + " p"
                                + p
                                + ": "
                                + out
                                + " output lines, "
                                + calls
                                + " INCRs for "
                                + lines
                                + " events");
            }
            double seconds = Math.max(1e-9, m.lastOutputSeconds() - m.firstOutputSeconds());
            Run run = new Run(lines / seconds, seconds, nodes);
            System.out.printf(Locale.ROOT, "  %s p%d run %d: %s%n", d.name(), p, r, describe(run));
            results.add(run);
            Bench.deleteTree(logs);
        }
        results.sort(Comparator.comparingDouble(Run::eventsPerSecond));
        Run median = results.get(results.size() / 2);
        return String.format(
                Locale.ROOT,
                "| %s | %d | %,.0f | %s | %s |",
                d.name(),
                p,
                median.eventsPerSecond(),
                join(
                        median,
                        n -> String.format(Locale.ROOT, "%,.0f", n.calls() / median.seconds())),
                join(
                        median,
                        n ->
                                n.calls() == 0
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.1f",
                                                n.cpuSeconds() * 1e6 / n.calls())));
    }

    private static String describe(Run r) {
        return String.format(
                Locale.ROOT,
                "%,10.0f events/s; INCR/s per master %s; Redis CPU µs/call %s",
                r.eventsPerSecond(),
                join(r, n -> String.format(Locale.ROOT, "%,.0f", n.calls() / r.seconds())),
                join(
                        r,
                        n ->
                                n.calls() == 0
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.1f",
                                                n.cpuSeconds() * 1e6 / n.calls())));
    }

    private static String join(Run r, java.util.function.Function<NodeRun, String> f) {
        return String.join(" / ", r.nodes().stream().map(f).toList());
    }

    /** The hello-world example on the generated input, its analyzer at {@code parallelism}. */
    private Path prepareRoot(Path input, String redisConfig, int parallelism) throws Exception {
        Path example = repo.resolve("examples/hello-world");
        Path root = work.resolve("roots").resolve("hello-world-redis");
        Bench.deleteTree(root);
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
                        .replaceAll("(?m)^redis_(host|port)\\s*=.*$", "")
                        .replace(
                                "script=\"event-type-counter.lua\",",
                                "script=\"event-type-counter.lua\", parallelism="
                                        + parallelism
                                        + ",");
        Files.writeString(config, text + "\n" + redisConfig);
        return root;
    }

    private static Jedis jedis(RedisServerProcess server) {
        Jedis j = new Jedis(server.host(), server.port());
        if (server.password() != null) {
            j.auth(server.password());
        }
        return j;
    }

    /** The INCR calls {@code server} served since its stats were reset. */
    private static long incrCalls(RedisServerProcess server) {
        try (Jedis j = jedis(server)) {
            for (String line : j.info("commandstats").split("\r\n")) {
                if (line.startsWith("cmdstat_incr:calls=")) {
                    String v = line.substring("cmdstat_incr:calls=".length());
                    return Long.parseLong(v.substring(0, v.indexOf(',')));
                }
            }
            return 0;
        }
    }

    private static double cpuOf(RedisServerProcess server) {
        return ChildRun.cpuSeconds(server.pid());
    }
}
