package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.testutils.Conditions;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.SteadyEveWriter;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/redis.md, Failover: a {@code tail://} job with events arriving steadily, two keyed analyzer
 * instances each writing to Redis for every event, and the master holding the counters SIGKILLed
 * mid-stream. The job goes on: calls wait while the replica is promoted, the next checkpoint sees
 * that a master written to was replaced and the job goes back to its last checkpoint (writes the
 * dead master had acknowledged but not replicated are thus run again), and at the end the output
 * holds every event exactly once, Redis has every event (no loss) and the counters at least once
 * (repeats: the events replayed since the last checkpoint). {@link RedisClusterFailoverITCase} and
 * {@link RedisSentinelFailoverITCase}.
 */
abstract class RedisFailoverContract {

    private static final Duration EVENT_EVERY = Duration.ofMillis(10);

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
            """;

    private static final String PASS =
            """
            function loop(msg)
              dragonfly.analyze_event(default_analyzer, msg)
            end
            """;

    /**
     * SADD of the event's seq (idempotent: a repeat does not show) and INCR of a counter (a repeat
     * does), both in one slot; an INCR per event type spreads over the other masters.
     */
    private static final String ANALYZER =
            """
            local conn

            function setup()
              conn = assert(hiredis.connect())
              conn:command("INCR", "{e}setups")
            end

            function loop(msg)
              local reply, err = conn:command("SADD", "{e}seen", msg.seq)
              if reply == nil then
                dragonfly.output_event("told", msg.seq .. " " .. err)
              else
                conn:command("INCR", "{e}calls")
                conn:command("INCR", "type:" .. msg.event_type)
              end
              dragonfly.output_event(default_output, msg)
            end
            """;

    @TempDir Path dir;

    /** config.lua lines that point at the deployment. */
    abstract String redisConfig();

    /** Kills the master holding {@code key} with SIGKILL and returns when it is dead. */
    abstract void killMasterOf(String key);

    /** Waits until a replica serves {@code key} and answers as a master. */
    abstract void awaitFailover(String key);

    abstract String get(String key);

    abstract Set<String> members(String key);

    @Test
    void aMasterKilledMidStreamLosesNoEventAndCountsAtLeastOnce() throws Exception {
        Path root = dir.resolve("root");
        TestRoots.write(root, "config/config.lua", CONFIG + redisConfig());
        TestRoots.write(root, "filter/pass.lua", PASS);
        TestRoots.write(root, "analyzer/redis.lua", ANALYZER);
        Path eve = TestRoots.write(dir, "data/eve.json", "");
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("out.json");

        List<String> input;
        List<String> log;
        JobStatus status;
        long killedAt;
        int writtenAtKill;
        Duration backAfter;
        try (RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class);
                SteadyEveWriter writer = new SteadyEveWriter(eve, EVENT_EVERY)) {
            JobClient job = new AsyncEngine(root, logs).startLocal("redis failover", 2);
            try {
                writer.start();
                Conditions.await("300 events out", Duration.ofSeconds(90), () -> lines(out) >= 300);
                Thread.sleep(1500); // a checkpoint or two with writes on the victim

                killedAt = System.nanoTime();
                writtenAtKill = writer.count();
                killMasterOf("{e}seen");
                awaitFailover("{e}seen");
                Conditions.await(
                        "the events written at the kill out",
                        Duration.ofSeconds(120),
                        () -> lines(out) >= writtenAtKill);
                backAfter = Duration.ofNanos(System.nanoTime() - killedAt);

                Thread.sleep(3000); // more events and checkpoints after the switch
                writer.stop();
                int all = writer.count();
                Conditions.await(
                        "every event out", Duration.ofSeconds(120), () -> lines(out) >= all);
                Thread.sleep(1500); // nothing more comes
                status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            input = writer.lines();
            log = capture.lines();
        }

        Set<String> seqs = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            seqs.add(Integer.toString(i));
        }
        long calls = Long.parseLong(get("{e}calls"));
        long setups = Long.parseLong(get("{e}setups"));
        System.out.printf(
                "%s: %d events at %d/s, master SIGKILLed after %d; events flowing again %d ms"
                        + " after the kill; %d setups (2 per start); INCR counted %d (%d repeats),"
                        + " SADD lost %d; outage log: %s%n",
                getClass().getSimpleName(),
                input.size(),
                1000 / EVENT_EVERY.toMillis(),
                writtenAtKill,
                backAfter.toMillis(),
                setups,
                calls,
                calls - input.size(),
                seqs.size() - members("{e}seen").size(),
                log);

        assertThat(status).as("the job goes on").isEqualTo(JobStatus.RUNNING);
        assertThat(TestRoots.readLines(out))
                .as("every event exactly once in the output")
                .containsExactlyInAnyOrderElementsOf(input);
        assertThat(members("{e}seen")).as("no event lost in Redis").isEqualTo(seqs);
        assertThat(calls).as("counts at least once").isGreaterThanOrEqualTo(input.size());
        assertThat(setups)
                .as("the checkpoint after the switch sent the job back to the last one")
                .isGreaterThanOrEqualTo(4);
        Path told = logs.resolve("told.json");
        assertThat(Files.exists(told) ? TestRoots.readLines(told) : List.of())
                .as("no call ran out of its budget")
                .isEmpty();
        assertThat(log).isNotEmpty();
        assertThat(log.get(0)).contains("is unreachable");
        assertThat(log.get(log.size() - 1)).contains("answers again");
    }

    private static int lines(Path file) {
        try {
            return AsyncEngine.lines(file);
        } catch (Exception e) {
            return 0; // being written; look again
        }
    }
}
