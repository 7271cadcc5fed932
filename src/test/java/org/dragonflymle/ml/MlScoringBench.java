package org.dragonflymle.ml;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.ReconnectingConnection;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.redis.RespReply;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Scoring speed of the Redis-ML commands, run by {@code scripts/bench-ml} (not a test): a random
 * forest of 100 full trees of depth 10 over 25 attributes and a logistic model with 25 features,
 * scored from Lua through {@code conn:command} on one thread, as an analyzer's {@code loop} does.
 * For scale it also measures the same calls without Lua and one Redis round trip ({@code PING}),
 * which is what every prediction cost with the Redis-ML module.
 *
 * <p>Rates are calls per second of the scoring thread's CPU time (the PING case: per second of wall
 * time), so that other processes on a shared machine do not distort them. Arguments: {@code
 * [seconds per case]} (default 5). Starts its own redis-server.
 */
public final class MlScoringBench {

    private static final int FEATURES = 25;
    private static final int TREES = 100;
    private static final int DEPTH = 10;
    private static final int SAMPLES = 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MlScoringBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        try (RedisServerProcess redis = RedisServerProcess.startOnFreePort()) {
            RedisSpec spec = new RedisSpec(redis.host(), redis.port(), null, 0, false);
            RedisMlInterceptor interceptor = new RedisMlInterceptor();
            try (HiredisLib lib = new HiredisLib(spec, interceptor)) {
                Globals g = JsePlatform.standardGlobals();
                g.load(lib);
                g.load("conn = assert(hiredis.connect())").call();
                load(g);
                System.out.printf(
                        Locale.ROOT,
                        "Redis-ML scoring, one thread, %s, %s%n",
                        System.getProperty("java.vm.name"),
                        System.getProperty("java.version"));
                System.out.printf(
                        Locale.ROOT,
                        "forest: %d trees, depth %d (%d nodes each), %d attributes;"
                                + " logistic: %d features%n%n",
                        TREES,
                        DEPTH,
                        (1 << (DEPTH + 1)) - 1,
                        FEATURES,
                        FEATURES);
                measure(
                        g,
                        seconds,
                        "ML.FOREST.RUN (REGRESSION) from Lua, sample string prebuilt",
                        "local s = samples[i % 1024 + 1]"
                                + " conn:command('ML.FOREST.RUN', 'bench:rf', s, 'REGRESSION')");
                measure(
                        g,
                        seconds,
                        "ML.FOREST.RUN (CLASSIFICATION) from Lua, sample prebuilt",
                        "local s = samples[i % 1024 + 1]"
                                + " conn:command('ML.FOREST.RUN', 'bench:rf', s, 'CLASSIFICATION')");
                measure(
                        g,
                        seconds,
                        "ML.FOREST.RUN from Lua, sample built in Lua per call",
                        "local x = numbers[i % 1024 + 1] local parts = {}"
                                + " for j = 1, 25 do parts[j] = 'f' .. (j - 1) .. ':' .. x[j] end"
                                + " conn:command('ML.FOREST.RUN', 'bench:rf',"
                                + " table.concat(parts, ','), 'REGRESSION')");
                measure(
                        g,
                        seconds,
                        "ML.LOGREG.PREDICT from Lua, 25 number arguments",
                        "conn:command('ML.LOGREG.PREDICT', 'bench:lr', table.unpack(numbers[i % 1024 + 1]))");
                measure(
                        g,
                        seconds,
                        "ML.LOGREG.PREDICT from Lua, 25 string arguments",
                        "conn:command('ML.LOGREG.PREDICT', 'bench:lr', table.unpack(strings[i % 1024 + 1]))");
                measure(
                        g,
                        seconds,
                        "PING from Lua (one Redis round trip, for scale)",
                        "conn:command('PING')");
                javaOnly(interceptor, spec, seconds);
            }
        }
    }

    /** Loads the models and the samples (random, fixed seed) into Redis and Lua globals. */
    private static void load(Globals g) {
        SplittableRandom random = new SplittableRandom(42);
        LuaValue conn = g.get("conn");
        LuaValue line = conn.get("command_line");
        StringBuilder lr =
                new StringBuilder("ML.LOGREG.SET bench:lr ").append(random.nextDouble() - 0.5);
        for (int f = 0; f < FEATURES; f++) {
            lr.append(' ').append(random.nextDouble() * 2 - 1);
        }
        check(line.call(conn, LuaValue.valueOf(lr.toString())));
        for (int t = 0; t < TREES; t++) {
            StringBuilder tree = new StringBuilder("ML.FOREST.ADD bench:rf ").append(t);
            addNodes(tree, ".", DEPTH, random);
            check(line.call(conn, LuaValue.valueOf(tree.toString())));
        }
        StringBuilder lua = new StringBuilder("samples, numbers, strings = {}, {}, {}\n");
        for (int s = 0; s < SAMPLES; s++) {
            StringBuilder sample = new StringBuilder();
            StringBuilder nums = new StringBuilder();
            StringBuilder strs = new StringBuilder();
            for (int f = 0; f < FEATURES; f++) {
                double x = Math.round(random.nextDouble() * 1e6) / 1e6;
                sample.append(f == 0 ? "" : ",").append('f').append(f).append(':').append(x);
                nums.append(f == 0 ? "" : ",").append(x);
                strs.append(f == 0 ? "" : ",").append('"').append(x).append('"');
            }
            lua.append("samples[").append(s + 1).append("] = \"").append(sample).append("\"\n");
            lua.append("numbers[").append(s + 1).append("] = {").append(nums).append("}\n");
            lua.append("strings[").append(s + 1).append("] = {").append(strs).append("}\n");
        }
        g.load(lua.toString()).call();
    }

    private static void addNodes(StringBuilder out, String path, int depth, SplittableRandom r) {
        if (depth == 0) {
            out.append(' ').append(path).append(" LEAF ").append(r.nextInt(2));
            return;
        }
        out.append(' ')
                .append(path)
                .append(" NUMERIC f")
                .append(r.nextInt(FEATURES))
                .append(' ')
                .append(Math.round(r.nextDouble() * 1e4) / 1e4);
        addNodes(out, path + "l", depth - 1, r);
        addNodes(out, path + "r", depth - 1, r);
    }

    private static void check(LuaValue reply) {
        if (!reply.istable() || !reply.get("name").tojstring().equals("OK")) {
            throw new IllegalStateException("setup failed: " + reply.get("name"));
        }
    }

    /** Runs {@code body} (with {@code i} the iteration) in a Lua loop; prints calls per second. */
    private static void measure(Globals g, double seconds, String name, String body) {
        LuaValue loop = g.load("return function(n) for i = 1, n do " + body + " end end").call();
        boolean waitsOnRedis = body.contains("PING");
        double rate = rate(seconds, n -> loop.call(LuaValue.valueOf(n)), !waitsOnRedis);
        System.out.printf(Locale.ROOT, "%-62s %,12.0f /s%n", name, rate);
    }

    /** The same commands handed to the interceptor directly: no Lua, no argument conversion. */
    private static void javaOnly(RedisMlInterceptor interceptor, RedisSpec spec, double seconds) {
        // A connection of its own: the interceptor confirms its copies per connection.
        try (ReconnectingConnection c =
                ReconnectingConnection.open(
                        spec,
                        ReconnectPolicy.defaults(),
                        CommandInterceptor.NONE,
                        new RedisOutageLog())) {
            RedisCommandExecutor direct = c::command;
            SplittableRandom random = new SplittableRandom(7);
            List<List<byte[]>> runs = new ArrayList<>();
            List<List<byte[]>> predicts = new ArrayList<>();
            for (int s = 0; s < SAMPLES; s++) {
                StringBuilder sample = new StringBuilder();
                List<byte[]> predict = new ArrayList<>();
                predict.add(bytes("ML.LOGREG.PREDICT"));
                predict.add(bytes("bench:lr"));
                for (int f = 0; f < FEATURES; f++) {
                    double x = Math.round(random.nextDouble() * 1e6) / 1e6;
                    sample.append(f == 0 ? "" : ",").append('f').append(f).append(':').append(x);
                    predict.add(bytes(Double.toString(x)));
                }
                runs.add(
                        List.of(
                                bytes("ML.FOREST.RUN"),
                                bytes("bench:rf"),
                                bytes(sample.toString()),
                                bytes("REGRESSION")));
                predicts.add(predict);
            }
            // First calls load and compile the models through the direct connection.
            interceptor.intercept(runs.get(0), direct);
            interceptor.intercept(predicts.get(0), direct);
            double forest =
                    rate(
                            seconds,
                            n -> {
                                for (int i = 0; i < n; i++) {
                                    answer(interceptor.intercept(runs.get(i & 1023), direct));
                                }
                            });
            System.out.printf(
                    Locale.ROOT,
                    "%-62s %,12.0f /s%n",
                    "ML.FOREST.RUN handed to the interceptor from Java (no Lua)",
                    forest);
            double logistic =
                    rate(
                            seconds,
                            n -> {
                                for (int i = 0; i < n; i++) {
                                    answer(interceptor.intercept(predicts.get(i & 1023), direct));
                                }
                            });
            System.out.printf(
                    Locale.ROOT,
                    "%-62s %,12.0f /s%n",
                    "ML.LOGREG.PREDICT handed to the interceptor from Java (no Lua)",
                    logistic);
        }
    }

    private static void answer(RespReply reply) {
        if (!(reply instanceof RespReply.BulkReply)) {
            throw new IllegalStateException("unexpected reply " + reply);
        }
    }

    private interface Batch {
        void run(int n);
    }

    /**
     * Warms up for a second, then runs batches for {@code seconds} of this thread's CPU time; calls
     * per CPU second. CPU time rather than wall time, so that other processes on a shared machine
     * do not count (they still share the caches). The PING case waits on Redis, so it is measured
     * in wall time.
     */
    private static double rate(double seconds, Batch batch) {
        return rate(seconds, batch, true);
    }

    private static double rate(double seconds, Batch batch, boolean cpu) {
        long warmEnd = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < warmEnd) {
            batch.run(1000);
        }
        long calls = 0;
        long start = clock(cpu);
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            batch.run(1000);
            calls += 1000;
            now = clock(cpu);
        } while (now < end);
        return calls / ((now - start) / 1e9);
    }

    private static long clock(boolean cpu) {
        return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
