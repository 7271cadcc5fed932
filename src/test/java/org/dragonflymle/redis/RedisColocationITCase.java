package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.os.CpuAffinity;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A connection's thread moves to the CPU of a Redis confined to one, after {@link
 * RedisColocation#ROUND_TRIPS} replies, and only when everything the class comment lists holds.
 * Each case runs on a thread of its own, so the test's thread keeps its CPUs.
 */
class RedisColocationITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final List<byte[]> INCR = command("INCR", "n");
    private static final ExecutorService FRESH_THREADS =
            Executors.newCachedThreadPool(work -> new Thread(work, "colocation-test"));

    private BitSet own;
    private BitSet redisCpu;

    @BeforeEach
    void needTwoCpus() {
        own = CpuAffinity.ofThisProcess().orElseThrow();
        assumeTrue(own.cardinality() > 1, "needs a machine with two CPUs or more");
        redisCpu = CpuAffinity.ofProcess(REDIS.server().pid()).orElseThrow();
    }

    @AfterAll
    static void stopThreads() {
        FRESH_THREADS.shutdownNow();
    }

    private static List<byte[]> command(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.US_ASCII));
        }
        return args;
    }

    private static RedisSpec overUnixSocket() {
        return REDIS.spec().withUnixSocket(REDIS.server().unixSocket().toString());
    }

    private static ReconnectingConnection open(RedisSpec spec, boolean colocate) {
        return ReconnectingConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(5)),
                CommandInterceptor.NONE,
                new RedisOutageLog(),
                colocate);
    }

    private static BitSet cpusOfThisThread() {
        return CpuAffinity.ofThread(CpuAffinity.currentThreadId().orElseThrow()).orElseThrow();
    }

    private static void incr(ReconnectingConnection c, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(c.command(INCR)).isInstanceOf(RespReply.IntegerReply.class);
        }
    }

    private static <T> T onAFreshThread(Callable<T> work) throws Exception {
        return FRESH_THREADS.submit(work).get(60, TimeUnit.SECONDS);
    }

    /** The CPUs the thread had after each step. */
    private List<BitSet> incrementsAfterEachStep(RedisSpec spec, boolean colocate, int... steps)
            throws Exception {
        return onAFreshThread(
                () -> {
                    List<BitSet> seen = new ArrayList<>();
                    try (ReconnectingConnection c = open(spec, colocate)) {
                        for (int step : steps) {
                            incr(c, step);
                            seen.add(cpusOfThisThread());
                        }
                    }
                    seen.add(cpusOfThisThread());
                    return seen;
                });
    }

    @Test
    void aThreadThatKeepsWaitingMovesToRedisCpuAndBackWhenItCloses() throws Exception {
        assertThat(redisCpu.cardinality()).isEqualTo(1);
        try (RedisLogCapture log = RedisLogCapture.of(RedisColocation.class)) {
            List<BitSet> seen =
                    incrementsAfterEachStep(
                            overUnixSocket(), true, RedisColocation.ROUND_TRIPS - 1, 1, 500);

            assertThat(seen).containsExactly(own, redisCpu, redisCpu, own);
            assertThat(REDIS.jedis().get("n")).isEqualTo(RedisColocation.ROUND_TRIPS + 500 + "");
            assertThat(log.lines())
                    .singleElement()
                    .asString()
                    .startsWith("INFO ")
                    .contains(
                            "colocation-test now waits for Redis " + REDIS.server().unixSocket(),
                            "on CPU " + CpuAffinity.format(redisCpu),
                            "(pid " + REDIS.server().pid() + ")");
        }
    }

    @Test
    void aMovedThreadKeepsItsCpuAndItsRepliesAcrossAReconnect() throws Exception {
        List<BitSet> seen =
                onAFreshThread(
                        () -> {
                            try (ReconnectingConnection c = open(overUnixSocket(), true)) {
                                incr(c, RedisColocation.ROUND_TRIPS);
                                REDIS.jedis()
                                        .clientKill(
                                                new ClientKillParams()
                                                        .type(ClientType.NORMAL)
                                                        .skipMe(ClientKillParams.SkipMe.YES));
                                incr(c, 100);
                                return List.of(cpusOfThisThread());
                            }
                        });

        assertThat(seen).containsExactly(redisCpu);
        assertThat(REDIS.jedis().get("n")).isEqualTo(RedisColocation.ROUND_TRIPS + 100 + "");
    }

    @Test
    void staysWhereItIsWhenTheStageDoesNotAllowIt() throws Exception {
        assertThat(
                        incrementsAfterEachStep(
                                overUnixSocket(), false, 2 * RedisColocation.ROUND_TRIPS))
                .containsOnly(own);
    }

    @Test
    void staysWhereItIsOverTcpWhereTheServerIsNotKnown() throws Exception {
        assertThat(incrementsAfterEachStep(REDIS.spec(), true, 2 * RedisColocation.ROUND_TRIPS))
                .containsOnly(own);
    }

    @Test
    void staysWhereItIsWhenSwitchedOff() throws Exception {
        System.setProperty("dragonfly.redis.colocate", "false");
        try {
            assertThat(
                            incrementsAfterEachStep(
                                    overUnixSocket(), true, 2 * RedisColocation.ROUND_TRIPS))
                    .containsOnly(own);
        } finally {
            System.clearProperty("dragonfly.redis.colocate");
        }
    }

    @Test
    void staysAndSaysWhyWhenRedisMayRunOnAnyCpu() throws Exception {
        long pid = REDIS.server().pid();
        setServerCpus(pid, own);
        try (RedisLogCapture log = RedisLogCapture.of(RedisColocation.class)) {
            assertThat(
                            incrementsAfterEachStep(
                                    overUnixSocket(), true, 2 * RedisColocation.ROUND_TRIPS))
                    .containsOnly(own);
            assertThat(log.lines())
                    .containsExactly(
                            "INFO colocation-test keeps polling Redis "
                                    + REDIS.server().unixSocket()
                                    + ": redis-server (pid "
                                    + pid
                                    + ") is not confined to one CPU (confining it lets this"
                                    + " thread sleep on its CPU instead)");
        } finally {
            setServerCpus(pid, redisCpu);
        }
    }

    private static void setServerCpus(long pid, BitSet cpus) throws Exception {
        Process taskset =
                new ProcessBuilder("taskset", "-pc", CpuAffinity.format(cpus), Long.toString(pid))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(taskset.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(CpuAffinity.ofProcess(pid)).contains(cpus);
    }
}
