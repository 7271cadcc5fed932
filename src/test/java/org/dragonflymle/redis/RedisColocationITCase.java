package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.os.CpuAffinity;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A connection's thread moves to the CPU of a Redis confined to one, after {@link
 * RedisColocation#ROUND_TRIPS} replies from when it was allowed, and only when everything the class
 * comment lists holds. Each case runs on a new thread, so the test's thread keeps its CPUs and no
 * case inherits another's.
 */
class RedisColocationITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final List<byte[]> INCR = command("INCR", "n");
    private static final int N = RedisColocation.ROUND_TRIPS;

    private BitSet own;
    private BitSet redisCpu;

    @BeforeEach
    void needTwoCpus() {
        own = CpuAffinity.ofThisProcess().orElseThrow();
        assumeTrue(own.cardinality() > 1, "needs a machine with two CPUs or more");
        redisCpu = CpuAffinity.ofProcess(REDIS.server().pid()).orElseThrow();
        assertThat(redisCpu.cardinality()).as("the server the project starts").isEqualTo(1);
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

    private static ReconnectingConnection open(RedisSpec spec) {
        return ReconnectingConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(5)),
                CommandInterceptor.NONE,
                new RedisOutageLog());
    }

    private static ReconnectingConnection openAllowed(RedisSpec spec) {
        ReconnectingConnection c = open(spec);
        c.allowColocation();
        return c;
    }

    private static BitSet cpusOfThisThread() {
        return CpuAffinity.ofThread(CpuAffinity.currentThreadId().orElseThrow()).orElseThrow();
    }

    private static void incr(ReconnectingConnection c, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(c.command(INCR)).isInstanceOf(RespReply.IntegerReply.class);
        }
    }

    private static <T> T onANewThread(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                result.complete(work.call());
                            } catch (Throwable e) {
                                result.completeExceptionally(e);
                            }
                        },
                        "colocation-test");
        thread.start();
        return result.get(60, TimeUnit.SECONDS);
    }

    /** The CPUs the thread had after each step of increments, and after closing. */
    private List<BitSet> cpusAfterEachStep(RedisSpec spec, boolean allowed, int... steps)
            throws Exception {
        return onANewThread(
                () -> {
                    List<BitSet> seen = new ArrayList<>();
                    try (ReconnectingConnection c = allowed ? openAllowed(spec) : open(spec)) {
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
        try (RedisLogCapture log = RedisLogCapture.of(RedisColocation.class)) {
            List<BitSet> seen = cpusAfterEachStep(overUnixSocket(), true, N - 1, 1, 500);

            assertThat(seen).containsExactly(own, redisCpu, redisCpu, own);
            assertThat(REDIS.jedis().get("n")).isEqualTo(N + 500 + "");
            assertThat(log.lines())
                    .containsExactly(
                            "INFO colocation-test now waits for Redis "
                                    + REDIS.server().unixSocket()
                                    + " on CPU "
                                    + CpuAffinity.format(redisCpu)
                                    + ", the one redis-server (pid "
                                    + REDIS.server().pid()
                                    + ") is confined to");
        }
    }

    @Test
    void repliesBeforeItIsAllowedDoNotCount() throws Exception {
        List<BitSet> seen =
                onANewThread(
                        () -> {
                            try (ReconnectingConnection c = open(overUnixSocket())) {
                                incr(c, 2 * N); // what setup() does
                                c.allowColocation();
                                incr(c, N - 1);
                                BitSet before = cpusOfThisThread();
                                incr(c, 1);
                                return List.of(before, cpusOfThisThread());
                            }
                        });

        assertThat(seen).containsExactly(own, redisCpu);
    }

    @Test
    void aMovedThreadKeepsItsCpuAndItsRepliesAcrossAReconnect() throws Exception {
        List<BitSet> seen =
                onANewThread(
                        () -> {
                            try (ReconnectingConnection c = openAllowed(overUnixSocket())) {
                                incr(c, N);
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
        assertThat(REDIS.jedis().get("n")).isEqualTo(N + 100 + "");
    }

    @Test
    void twoConnectionsOfOneThreadShareOneMoveUntilTheLastCloses() throws Exception {
        List<BitSet> seen =
                onANewThread(
                        () -> {
                            List<BitSet> cpus = new ArrayList<>();
                            ReconnectingConnection first = openAllowed(overUnixSocket());
                            ReconnectingConnection second = openAllowed(overUnixSocket());
                            incr(first, N);
                            incr(second, N);
                            first.close();
                            cpus.add(cpusOfThisThread());
                            incr(second, 10);
                            second.close();
                            cpus.add(cpusOfThisThread());
                            return cpus;
                        });

        assertThat(seen).containsExactly(redisCpu, own);
    }

    @Test
    void aThirdThreadStaysWhereItIsWhenTwoAlreadyWaitOnRedisCpu() throws Exception {
        CountDownLatch twoMoved = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(1);
        List<CompletableFuture<BitSet>> holders = new ArrayList<>();
        try (RedisLogCapture log = RedisLogCapture.of(RedisColocation.class)) {
            for (int i = 0; i < 2; i++) {
                holders.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try (ReconnectingConnection c = openAllowed(overUnixSocket())) {
                                        incr(c, N);
                                        twoMoved.countDown();
                                        done.await(60, TimeUnit.SECONDS);
                                        return cpusOfThisThread();
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                work -> new Thread(work, "holder").start()));
            }
            assertThat(twoMoved.await(60, TimeUnit.SECONDS)).isTrue();
            List<BitSet> third = cpusAfterEachStep(overUnixSocket(), true, N);
            done.countDown();

            assertThat(third).containsOnly(own);
            for (CompletableFuture<BitSet> holder : holders) {
                assertThat(holder.get(60, TimeUnit.SECONDS)).isEqualTo(redisCpu);
            }
            assertThat(log.lines())
                    .contains(
                            "INFO colocation-test keeps polling Redis "
                                    + REDIS.server().unixSocket()
                                    + ": 2 threads already wait on CPU "
                                    + CpuAffinity.format(redisCpu)
                                    + ", where redis-server runs");
        }
    }

    @Test
    void staysWhereItIsUnlessAllowed() throws Exception {
        assertThat(cpusAfterEachStep(overUnixSocket(), false, 2 * N)).containsOnly(own);
    }

    @Test
    void staysWhereItIsOverTcpWhereTheServerIsNotKnown() throws Exception {
        assertThat(cpusAfterEachStep(REDIS.spec(), true, 2 * N)).containsOnly(own);
    }

    @Test
    void staysWhereItIsWhenSwitchedOff() throws Exception {
        System.setProperty("dragonfly.redis.colocate", "false");
        try {
            assertThat(cpusAfterEachStep(overUnixSocket(), true, 2 * N)).containsOnly(own);
        } finally {
            System.clearProperty("dragonfly.redis.colocate");
        }
    }

    @Test
    void staysAndSaysWhyWhenRedisMayRunOnAnyCpu() throws Exception {
        long pid = REDIS.server().pid();
        setServerCpus(pid, own);
        try (RedisLogCapture log = RedisLogCapture.of(RedisColocation.class)) {
            assertThat(cpusAfterEachStep(overUnixSocket(), true, 2 * N)).containsOnly(own);
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

    /** All of the server's threads (-a), though only its main thread's CPUs are checked. */
    private static void setServerCpus(long pid, BitSet cpus) throws Exception {
        Process taskset =
                new ProcessBuilder(
                                "taskset",
                                "-a",
                                "-pc",
                                CpuAffinity.format(cpus),
                                Long.toString(pid))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(taskset.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(CpuAffinity.ofProcess(pid)).contains(cpus);
    }
}
