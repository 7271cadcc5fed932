package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.SteadyEveWriter;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * docs/guarantees.md, faults the engine survives: the real redis-server stops mid-stream and starts
 * again on the same port while a tail:// job keeps receiving events at a steady rate. The analyzer
 * (two keyed instances, each with its own connection) does a Redis call per event and writes every
 * event out.
 *
 * <p>The retry budget of a call is {@link ReconnectPolicy#defaults()}'s 12 s; config.lua cannot
 * change it. So a ~10 s outage is ridden out: no call fails, Redis sees every event. An outage
 * longer than the budget is what makes a call return {@code nil, message}: only after the budget,
 * then at once for the events that follow until Redis is back, and the script can route on it. In
 * both cases no event is lost or repeated in the output, the job neither fails nor restarts, and
 * the engine logs one line when the outage starts (one when the budget runs out) and one when Redis
 * answers again.
 */
class RedisOutageITCase {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.keepingDataAcrossRestarts();

    private static final Duration BUDGET = ReconnectPolicy.defaults().budget();

    /** One event every 20 ms: 50 events/s for as long as the test runs. */
    private static final Duration EVENT_EVERY = Duration.ofMillis(20);

    private static final String CONFIG =
            """
            inputs = {
              { tag="eve", uri="tail://../data/eve.json?start=beginning&poll=20ms",
                script="pass.lua", default_analyzer="redis" },
            }
            analyzers = {
              { tag="redis", script="redis.lua", key="seq", parallelism=2,
                default_analyzer="", default_output="out" },
            }
            outputs = {
              { tag="out", uri="file://out.json" },
              { tag="told", uri="file://told.json" },
            }
            checkpoint = { interval = "1s" }
            redis_port = %d
            """;

    private static final String PASS =
            """
            function loop(msg)
              dragonfly.analyze_event(default_analyzer, msg)
            end
            """;

    /**
     * SADD of the event's seq (idempotent, so a command sent again after a dropped connection
     * counts once); when the call answers nil, message the script says so on "told". Then some work
     * of its own, as real analyzers do after their Redis call, and the event goes out unchanged.
     */
    private static final String ANALYZER =
            """
            local conn

            function setup()
              conn = assert(hiredis.connect())
              conn:command("INCR", "setups")
            end

            function loop(msg)
              local reply, err = conn:command("SADD", "seen", msg.seq)
              if reply == nil then
                dragonfly.output_event("told", msg.seq .. " " .. err)
              else
                conn:command("INCR", "calls")
              end
              local score = 0
              for i = 1, 500 do score = (score + i * msg.seq) % 7919 end
              dragonfly.output_event(default_output, msg)
            end
            """;

    private static final Pattern TOLD = Pattern.compile("^\"(\\d+) (.*)\"$");

    @TempDir Path dir;

    @Test
    void aTenSecondOutageCostsNoEventAndRedisSeesEveryOne() throws Exception {
        Duration outage = Duration.ofSeconds(10);

        Run run = runWithOutage(outage);

        assertThat(run.down)
                .as("Redis was down for ~10 s, within the budget")
                .isBetween(outage, BUDGET.minusMillis(500));
        run.assertEveryEventOnceAndNoCrash();
        assertThat(run.told).as("no call returned nil, message").isEmpty();
        assertThat(run.recovered)
                .as("the backlog of the outage is through soon after the restart")
                .isLessThan(Duration.ofSeconds(5));
        try (Jedis jedis = REDIS.newJedis()) {
            assertThat(jedis.smembers("seen"))
                    .as("Redis saw every event, those before, during and after the outage")
                    .isEqualTo(run.seqs());
            assertThat(Long.parseLong(jedis.get("calls")))
                    .as("at-least-once side effects")
                    .isGreaterThanOrEqualTo(run.input.size());
        }
        assertThat(run.log)
                .as("one line when the outage starts, one when Redis is back, none per event")
                .hasSize(2);
        assertThat(run.log.get(0))
                .startsWith("WARN")
                .contains("Redis " + REDIS.spec().address() + " is unreachable");
        assertThat(run.log.get(1))
                .startsWith("WARN")
                .contains("Redis " + REDIS.spec().address() + " answers again");
    }

    @Test
    void anOutageLongerThanTheBudgetTellsTheScriptNilAndAMessageOnlyAfterTheBudget()
            throws Exception {
        Duration outage = BUDGET.plusSeconds(1);

        Run run = runWithOutage(outage);

        run.assertEveryEventOnceAndNoCrash();
        assertThat(run.told).as("the script was told for some events").isNotEmpty();
        Set<String> toldSeqs = new HashSet<>();
        for (String line : run.told) {
            Matcher m = TOLD.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            toldSeqs.add(m.group(1));
            assertThat(m.group(2))
                    .as("a message the script can route on")
                    .contains("Redis " + REDIS.spec().address() + " unreachable");
        }
        assertThat(run.firstToldAfter)
                .as("the first nil, message came only after the whole budget")
                .isGreaterThanOrEqualTo(BUDGET);
        try (Jedis jedis = REDIS.newJedis()) {
            Set<String> seen = jedis.smembers("seen");
            Set<String> either = new HashSet<>(seen);
            either.addAll(toldSeqs);
            assertThat(either)
                    .as("each event reached Redis or its script was told it did not")
                    .isEqualTo(run.seqs());
            Set<String> both = new HashSet<>(seen);
            both.retainAll(toldSeqs);
            assertThat(both)
                    .as("told although Redis had it: at most a command in flight, one per instance")
                    .hasSizeLessThanOrEqualTo(2);
        }
        assertThat(run.recovered)
                .as("the events after the budget failed at once, not each after a wait")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(run.log)
                .as("one line when it starts, one when the budget runs out, one when it is back")
                .hasSize(3);
        assertThat(run.log.get(0)).startsWith("WARN").contains("is unreachable");
        assertThat(run.log.get(1))
                .startsWith("WARN")
                .contains("still unreachable after " + BUDGET.toSeconds() + ".0 s")
                .contains("return nil, message");
        assertThat(run.log.get(2)).startsWith("WARN").contains("answers again");
    }

    /** What one run with an outage produced, and how long things took. */
    private record Run(
            List<String> input,
            List<String> output,
            List<String> told,
            List<String> errors,
            List<String> log,
            JobStatus statusAtEnd,
            long setups,
            Duration down,
            Duration firstToldAfter,
            Duration recovered) {

        Set<String> seqs() {
            Set<String> seqs = new HashSet<>();
            for (int i = 0; i < input.size(); i++) {
                seqs.add(Integer.toString(i));
            }
            return seqs;
        }

        void assertEveryEventOnceAndNoCrash() {
            assertThat(statusAtEnd).as("the job is still running").isEqualTo(JobStatus.RUNNING);
            assertThat(setups)
                    .as("each of the 2 analyzer instances set up once: no restart")
                    .isEqualTo(2);
            assertThat(errors).as("no event went to the error output").isEmpty();
            assertThat(output)
                    .as("every input event exactly once")
                    .containsExactlyInAnyOrderElementsOf(input);
        }
    }

    /**
     * Starts the job with events arriving steadily, stops Redis once events flow, keeps it down for
     * {@code outage} and starts it again on the same port, then lets events arrive a while longer
     * and waits until the output holds them all.
     */
    private Run runWithOutage(Duration outage) throws Exception {
        Path root = dir.resolve("root");
        TestRoots.write(root, "config/config.lua", CONFIG.formatted(REDIS.port()));
        TestRoots.write(root, "filter/pass.lua", PASS);
        TestRoots.write(root, "analyzer/redis.lua", ANALYZER);
        Path eve = TestRoots.write(dir, "data/eve.json", "");
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("out.json");
        Path told = logs.resolve("told.json");

        AtomicLong toldSeenAt = new AtomicLong();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        try (RedisLogCapture log = RedisLogCapture.of(RedisOutageLog.class);
                SteadyEveWriter writer = new SteadyEveWriter(eve, EVENT_EVERY)) {
            JobClient job = new AsyncEngine(root, logs).startLocal("redis outage", 2);
            JobStatus status;
            long stopAt;
            Duration down;
            Duration recovered;
            try {
                watch.scheduleWithFixedDelay(
                        () -> {
                            if (toldSeenAt.get() == 0 && lines(told) > 0) {
                                toldSeenAt.set(System.nanoTime());
                            }
                        },
                        0,
                        20,
                        TimeUnit.MILLISECONDS);
                writer.start();
                awaitLines(out, 100, Duration.ofSeconds(60));
                Thread.sleep(1000);

                stopAt = System.nanoTime();
                REDIS.server().stop();
                Thread.sleep(
                        Math.max(0, (stopAt + outage.toNanos() - System.nanoTime()) / 1_000_000));
                REDIS.server().start();
                long upAt = System.nanoTime();
                down = Duration.ofNanos(upAt - stopAt);
                int writtenWhileDown = writer.count();
                while (lines(out) < writtenWhileDown
                        && System.nanoTime() - upAt < Duration.ofSeconds(30).toNanos()) {
                    Thread.sleep(20);
                }
                recovered = Duration.ofNanos(System.nanoTime() - upAt);

                Thread.sleep(1500);
                writer.stop();
                awaitSteady(out, writer.count());
                status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            } finally {
                watch.shutdownNow();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            Duration firstTold =
                    toldSeenAt.get() == 0 ? null : Duration.ofNanos(toldSeenAt.get() - stopAt);
            long setups;
            try (Jedis jedis = REDIS.newJedis()) {
                setups = Long.parseLong(jedis.get("setups"));
            }
            List<String> input = writer.lines();
            System.out.printf(
                    "RedisOutageITCase: %d events at %d/s, Redis down %d ms (budget %d s),"
                            + " output caught up %d ms after the restart, first nil after %s,"
                            + " %d told%n",
                    input.size(),
                    1000 / EVENT_EVERY.toMillis(),
                    down.toMillis(),
                    BUDGET.toSeconds(),
                    recovered.toMillis(),
                    firstTold == null ? "-" : firstTold.toMillis() + " ms",
                    lines(told));
            return new Run(
                    input,
                    readLines(out),
                    readLines(told),
                    readLines(logs.resolve("dragonfly-errors.log")),
                    log.lines(),
                    status,
                    setups,
                    down,
                    firstTold,
                    recovered);
        }
    }

    private static void awaitLines(Path file, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines(file) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        file + " has " + lines(file) + " lines after " + timeout + ", want " + n);
            }
            Thread.sleep(20);
        }
    }

    /** Until {@code file} has {@code n} lines and still has them a second later (30 s at most). */
    private static void awaitSteady(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (lines(file) >= n) {
                Thread.sleep(1000);
                if (lines(file) == n) {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    private static int lines(Path file) {
        try {
            return AsyncEngine.lines(file);
        } catch (Exception e) {
            return 0; // being written; look again
        }
    }

    private static List<String> readLines(Path file) {
        return Files.exists(file) ? TestRoots.readLines(file) : List.of();
    }
}
