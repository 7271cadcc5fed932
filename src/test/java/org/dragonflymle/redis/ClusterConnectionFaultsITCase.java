package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.testutils.RedisCluster;
import org.dragonflymle.testutils.RedisClusterExtension;
import org.dragonflymle.testutils.RedisLogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A {@link ClusterConnection} against a real 3-master 3-replica cluster whose shape changes under
 * it: a slot moved (MOVED), a slot half migrated (ASK), a master SIGKILLed with commands in flight
 * and in a transaction (the replica is promoted after cluster-node-timeout, 2 s), and a master with
 * no replica to take over (the budget runs out).
 */
class ClusterConnectionFaultsITCase {

    @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    private static List<byte[]> cmd(String... args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static ClusterConnection open(RedisSpec spec, Duration budget, RedisOutageLog log) {
        return (ClusterConnection)
                RedisConnection.open(
                        spec, ReconnectPolicy.withBudget(budget), CommandInterceptor.NONE, log);
    }

    private static int otherMaster(int master) {
        return (master + 1) % 3;
    }

    @Test
    void aSlotMovedUnderAnOpenConnectionIsFollowed() {
        RedisCluster cluster = CLUSTER.cluster();
        try (ClusterConnection c =
                open(CLUSTER.spec(), Duration.ofSeconds(10), new RedisOutageLog())) {
            c.command(cmd("SET", "{mv}a", "1"));
            c.command(cmd("SET", "{mv}b", "2"));
            int slot = JedisClusterCRC16.getSlot("{mv}a");
            int to = otherMaster(cluster.nodeServingSlot(slot));
            int from = cluster.beginMigration(slot, to);
            cluster.migrateKeys(from, to, "{mv}a", "{mv}b");
            cluster.finishMigration(slot, to);

            c.append(cmd("INCR", "{mv}a"));
            c.append(cmd("INCR", "{mv}b"));
            c.append(cmd("GET", "elsewhere"));
            c.append(cmd("INCR", "{mv}a"));

            assertThat(List.of(c.nextReply(), c.nextReply(), c.nextReply(), c.nextReply()))
                    .containsExactly(
                            RespReply.integer(2),
                            RespReply.integer(3),
                            RespReply.nil(),
                            RespReply.integer(3));
            assertThat(c.command(cmd("GET", "{mv}a"))).isEqualTo(RespReply.bulk("3"));
        }
        try (var j = cluster.jedis(cluster.nodeServingSlot(JedisClusterCRC16.getSlot("{mv}a")))) {
            assertThat(j.get("{mv}a")).isEqualTo("3");
        }
    }

    @Test
    void aSlotHalfMigratedIsReachedThroughAsk() {
        RedisCluster cluster = CLUSTER.cluster();
        try (ClusterConnection c =
                open(CLUSTER.spec(), Duration.ofSeconds(10), new RedisOutageLog())) {
            c.command(cmd("SET", "{ask}moved", "m"));
            c.command(cmd("SET", "{ask}stays", "s"));
            int slot = JedisClusterCRC16.getSlot("{ask}moved");
            int to = otherMaster(cluster.nodeServingSlot(slot));
            int from = cluster.beginMigration(slot, to);
            cluster.migrateKeys(from, to, "{ask}moved");

            assertThat(c.command(cmd("GET", "{ask}moved"))).isEqualTo(RespReply.bulk("m"));
            assertThat(c.command(cmd("GET", "{ask}stays"))).isEqualTo(RespReply.bulk("s"));
            assertThat(c.command(cmd("SET", "{ask}new", "n"))).isEqualTo(RespReply.OK);

            try (var target = cluster.jedis(to);
                    var source = cluster.jedis(from)) {
                target.asking();
                assertThat(target.get("{ask}new")).isEqualTo("n"); // new keys land on the target
                assertThat(source.clusterCountKeysInSlot(slot)).isEqualTo(1); // {ask}stays
            }
        }
    }

    /**
     * Commands in flight to a master when it is SIGKILLed (it is busy in a script that runs for 2
     * s, so it has read, run or answered none of them) are sent again to its promoted replica:
     * every command gets its reply, in the order issued, and no SADD is lost.
     */
    @Test
    void commandsInFlightToAKilledMasterGoToItsPromotedReplica() throws Exception {
        RedisCluster cluster = CLUSTER.cluster();
        try (RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class);
                ClusterConnection c =
                        open(CLUSTER.spec(), Duration.ofSeconds(30), new RedisOutageLog());
                JedisCluster check = cluster.client()) {
            int n = 600;
            for (int i = 0; i < n; i++) {
                if (i == 300) {
                    c.append(
                            cmd(
                                    "EVAL",
                                    "local t0 = redis.call('TIME') local t repeat t ="
                                            + " redis.call('TIME') until (t[1] - t0[1]) * 1000000"
                                            + " + t[2] - t0[2] > 2000000"
                                            + " return redis.call('SADD', KEYS[1], ARGV[1])",
                                    "1",
                                    "set:7",
                                    "slow"));
                }
                c.append(cmd("SADD", "set:" + (i % 30), Integer.toString(i)));
            }
            RespReply first = c.nextReply(); // sends everything, reads one reply
            int victim = cluster.nodeServing("set:7");
            Thread.sleep(100); // the victim is inside the slow script now
            cluster.kill(victim);

            List<RespReply> rest = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                rest.add(c.nextReply());
            }

            assertThat(first).isEqualTo(RespReply.integer(1));
            assertThat(rest).containsOnly(RespReply.integer(1));
            long members = 0;
            for (int s = 0; s < 30; s++) {
                members += check.scard("set:" + s);
            }
            assertThat(members).isEqualTo(n + 1);
            assertThat(check.sismember("set:7", "slow")).isTrue();
            assertThat(capture.lines())
                    .hasSize(2)
                    .satisfies(
                            l -> assertThat(l.get(0)).contains("is unreachable"),
                            l -> assertThat(l.get(1)).contains("answers again"));
        }
    }

    /** A MULTI whose master dies before EXEC runs once, on the promoted replica. */
    @Test
    void aTransactionCutByAFailoverRunsOnceOnThePromotedReplica() {
        RedisCluster cluster = CLUSTER.cluster();
        try (ClusterConnection c =
                        open(CLUSTER.spec(), Duration.ofSeconds(30), new RedisOutageLog());
                JedisCluster check = cluster.client()) {
            assertThat(c.command(cmd("MULTI"))).isEqualTo(RespReply.OK);
            assertThat(c.command(cmd("INCR", "{tx}a"))).isEqualTo(RespReply.QUEUED);
            assertThat(c.command(cmd("INCRBY", "{tx}b", "5"))).isEqualTo(RespReply.QUEUED);
            cluster.kill(cluster.nodeServing("{tx}a"));

            RespReply exec = c.command(cmd("EXEC"));

            assertThat(exec)
                    .isEqualTo(
                            RespReply.array(List.of(RespReply.integer(1), RespReply.integer(5))));
            assertThat(check.get("{tx}a")).isEqualTo("1");
            assertThat(check.get("{tx}b")).isEqualTo("5");
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtOnce() {
        RedisSpec spec = CLUSTER.spec();
        RedisSpec wrong =
                new RedisSpec(spec.host(), spec.port(), "wrong", 0, false, null, spec.topology());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> open(wrong, Duration.ofSeconds(10), new RedisOutageLog()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("refused the connection");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * No replica to promote: the slots of the dead master stay uncovered and the cluster says
     * CLUSTERDOWN. A call retries for its budget, then fails; the next fails at once; the outage is
     * two log lines.
     */
    @Test
    void withoutAReplicaToPromoteACallGivesUpAfterItsBudget() {
        try (RedisCluster bare = RedisCluster.builder().replicasPerMaster(0).start();
                RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class)) {
            RedisSpec spec =
                    new RedisSpec(
                            "127.0.0.1",
                            6379,
                            null,
                            0,
                            false,
                            null,
                            new org.dragonflymle.config.RedisTopology.Cluster(
                                    bare.nodes().stream()
                                            .map(
                                                    n ->
                                                            new org.dragonflymle.config
                                                                    .RedisAddress(
                                                                    n.host(), n.port()))
                                            .toList()));
            try (ClusterConnection c = open(spec, Duration.ofSeconds(3), new RedisOutageLog())) {
                assertThat(c.command(cmd("SET", "k", "v"))).isEqualTo(RespReply.OK);
                bare.kill(bare.nodeServing("k"));

                long t0 = System.nanoTime();
                assertThatThrownBy(() -> c.command(cmd("GET", "k")))
                        .isInstanceOf(RedisUnavailableException.class)
                        .hasMessageContaining("retried for 3.0 s");
                Duration first = Duration.ofNanos(System.nanoTime() - t0);
                t0 = System.nanoTime();
                assertThatThrownBy(() -> c.command(cmd("GET", "k")))
                        .isInstanceOf(RedisUnavailableException.class);
                Duration second = Duration.ofNanos(System.nanoTime() - t0);

                assertThat(first).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
                assertThat(second).isLessThan(Duration.ofSeconds(3));
                assertThat(capture.lines())
                        .hasSize(2)
                        .satisfies(
                                l -> assertThat(l.get(0)).contains("is unreachable"),
                                l -> assertThat(l.get(1)).contains("still unreachable"));
            }
        }
    }

    /** What a script's budget does at its deadline: ends the call instead of riding it out. */
    private static final class DeadlineReached extends Error {
        DeadlineReached() {
            super("past the call budget");
        }
    }

    @Test
    void theWatchdogEndsABlockingCommandWaitingOnANode() throws Exception {
        try (ClusterConnection c =
                open(CLUSTER.spec(), Duration.ofSeconds(10), new RedisOutageLog())) {
            c.useClock(
                    new CallClock() {
                        @Override
                        public void outageWaitBegins() {
                            throw new DeadlineReached();
                        }

                        @Override
                        public void outageWaitEnds() {}
                    });
            Thread watchdog =
                    new Thread(
                            () -> {
                                try {
                                    Thread.sleep(500);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                c.abortWait();
                            });
            watchdog.start();
            long t0 = System.nanoTime();
            // BLPOP with no timeout blocks until a push that never comes
            assertThatThrownBy(() -> c.command(cmd("BLPOP", "{never}list", "0")))
                    .isInstanceOf(DeadlineReached.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            watchdog.join();
        }
    }

    @Test
    void anAbortWithNoCommandWaitingDoesNothing() {
        try (ClusterConnection c =
                open(CLUSTER.spec(), Duration.ofSeconds(10), new RedisOutageLog())) {
            c.command(cmd("SET", "{idle}k", "1"));
            c.abortWait();
            assertThat(c.command(cmd("GET", "{idle}k"))).isEqualTo(RespReply.bulk("1"));
        }
    }
}
