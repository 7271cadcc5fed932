package org.dragonflymle.testutils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.dragonflymle.redis.server.RedisServerBuilder;
import org.dragonflymle.redis.server.RedisServerProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for tests: {@code masters} masters with {@code replicasPerMaster} replicas
 * each, every node a {@code redis-server --cluster-enabled yes} on 127.0.0.1 started by {@link
 * RedisServerProcess} (the installed binary, else embedded-redis's).
 *
 * <p>It is formed the way {@code redis-cli --cluster create} does it, but with the server's own
 * commands only ({@code CLUSTER SET-CONFIG-EPOCH}, {@code ADDSLOTS}, {@code MEET}, {@code
 * REPLICATE}), so no {@code redis-cli} is needed: a machine with only the embedded 6.2 binary runs
 * it too. {@link #start} returns once every node reports {@code cluster_state:ok}, every replica's
 * link to its master is up, and every node sees the whole topology. Slots are split evenly, master
 * {@code i} serving the i-th range in slot order.
 *
 * <p>{@link #kill} ends a node with SIGKILL, as a crash would; {@link #awaitFailoverOf} waits until
 * its replica serves its slots. {@link #close} ends every node and deletes their directories.
 */
public final class RedisCluster implements AutoCloseable {

    public static final int SLOTS = 16384;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final int masters;
    private final int replicasPerMaster;
    private final Duration nodeTimeout;
    private final String password;
    private final boolean embeddedBinary;
    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final Set<Integer> killed = new HashSet<>();
    private boolean reshaped;

    private RedisCluster(Builder b) {
        this.masters = b.masters;
        this.replicasPerMaster = b.replicasPerMaster;
        this.nodeTimeout = b.nodeTimeout;
        this.password = b.password;
        this.embeddedBinary = b.embeddedBinary;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seed addresses for config.lua's {@code redis_cluster}: every node, as host:port. */
    public List<String> seeds() {
        return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
    }

    /** config.lua text that points the engine at this cluster. */
    public String configLua() {
        StringBuilder s = new StringBuilder("redis_cluster = { ");
        for (String seed : seeds()) {
            s.append('"').append(seed).append("\", ");
        }
        s.append("}\n");
        if (password != null) {
            s.append("redis_password = \"").append(password).append("\"\n");
        }
        return s.toString();
    }

    public String password() {
        return password;
    }

    /** All nodes, masters first (index i &lt; masters), as started. */
    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The node (index into {@link #nodes()}) that serves {@code key}'s slot now. */
    public int nodeServing(String key) {
        return nodeServingSlot(JedisClusterCRC16.getSlot(key));
    }

    /** The node that serves {@code slot} now, as a live node sees it. */
    public int nodeServingSlot(int slot) {
        for (int i = 0; i < nodes.size(); i++) {
            if (killed.contains(i)) {
                continue;
            }
            try (Jedis j = jedis(i)) {
                for (Object range : j.clusterSlots()) {
                    List<?> r = (List<?>) range;
                    if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                        List<?> master = (List<?>) r.get(2);
                        return indexOf(((Number) master.get(1)).intValue());
                    }
                }
            }
        }
        throw new IllegalStateException("no live node knows who serves slot " + slot);
    }

    /** The node ids, by index. */
    public String id(int node) {
        return ids.get(node);
    }

    /** Ends node {@code i} with SIGKILL (no chance to tell anyone) and waits until it is gone. */
    public void kill(int node) {
        RedisServerProcess server = nodes.get(node);
        ProcessHandle.of(server.pid())
                .ifPresent(
                        p -> {
                            p.destroyForcibly();
                            p.onExit().join();
                        });
        killed.add(node);
    }

    /**
     * Whether no node was killed and no slot moved (a test that did leaves a cluster to rebuild).
     */
    public boolean intact() {
        return !reshaped
                && killed.isEmpty()
                && nodes.stream().allMatch(RedisServerProcess::isRunning);
    }

    /**
     * Waits until the slots {@code deadNode} served are served by another node that answers as a
     * master, and every live node reports {@code cluster_state:ok}; returns that node's index.
     */
    public int awaitFailoverOf(int deadNode, Duration timeout) {
        int slot = firstSlotOf(deadNode);
        int[] promoted = {-1};
        Conditions.await(
                "a replica of node " + deadNode + " to take over slot " + slot,
                timeout,
                () -> {
                    int now = nodeServingSlot(slot);
                    if (now == deadNode) {
                        return false;
                    }
                    promoted[0] = now;
                    return allLive(j -> j.clusterInfo().contains("cluster_state:ok"));
                });
        return promoted[0];
    }

    /**
     * Starts moving {@code slot} from the master serving it to master {@code to}, as {@code
     * redis-cli --cluster reshard} does: {@code to} imports it, the source migrates it. Until
     * {@link #finishMigration}, keys still on the source are served there and others get ASK.
     *
     * @return the source master's index
     */
    public int beginMigration(int slot, int to) {
        int from = nodeServingSlot(slot);
        reshaped = true;
        try (Jedis target = jedis(to);
                Jedis source = jedis(from)) {
            target.clusterSetSlotImporting(slot, ids.get(from));
            source.clusterSetSlotMigrating(slot, ids.get(to));
        }
        return from;
    }

    /** Moves {@code keys} of the migrating {@code slot} from master {@code from} to {@code to}. */
    public void migrateKeys(int from, int to, String... keys) {
        RedisServerProcess target = nodes.get(to);
        try (Jedis source = jedis(from)) {
            for (String key : keys) {
                if (password == null) {
                    source.migrate(target.host(), target.port(), key, 0, 5000);
                } else {
                    source.migrate(
                            target.host(),
                            target.port(),
                            0,
                            5000,
                            redis.clients.jedis.params.MigrateParams.migrateParams().auth(password),
                            key);
                }
            }
        }
    }

    /** Ends a migration: every master is told that {@code to} serves {@code slot} now. */
    public void finishMigration(int slot, int to) {
        for (int i = 0; i < masters; i++) {
            if (!killed.contains(i)) {
                try (Jedis j = jedis(i)) {
                    j.clusterSetSlotNode(slot, ids.get(to));
                }
            }
        }
        Conditions.await(
                "every node to see slot " + slot + " on node " + to,
                READY_TIMEOUT,
                () -> nodeServingSlot(slot) == to && allLive(j -> slotServedBy(j, slot, to)));
    }

    private boolean slotServedBy(Jedis j, int slot, int node) {
        for (Object range : j.clusterSlots()) {
            List<?> r = (List<?>) range;
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                return ((Number) ((List<?>) r.get(2)).get(1)).intValue() == nodes.get(node).port();
            }
        }
        return false;
    }

    /** FLUSHALL on every live master. */
    public void flushAll() {
        for (int i = 0; i < nodes.size(); i++) {
            if (killed.contains(i)) {
                continue;
            }
            try (Jedis j = jedis(i)) {
                if (j.role().get(0).equals("master")) {
                    j.flushAll();
                }
            }
        }
    }

    /** A cluster client for assertions (Jedis's own routing); the caller closes it. */
    public JedisCluster client() {
        Set<HostAndPort> live = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!killed.contains(i)) {
                live.add(new HostAndPort(nodes.get(i).host(), nodes.get(i).port()));
            }
        }
        return new JedisCluster(live, config());
    }

    /** A plain client of node {@code i}; the caller closes it. */
    public Jedis jedis(int node) {
        RedisServerProcess n = nodes.get(node);
        return new Jedis(n.host(), n.port(), config());
    }

    @Override
    public void close() {
        for (RedisServerProcess n : nodes) {
            n.close();
        }
        nodes.clear();
    }

    private DefaultJedisClientConfig config() {
        return DefaultJedisClientConfig.builder().password(password).timeoutMillis(5000).build();
    }

    private int firstSlotOf(int master) {
        return master * (SLOTS / masters);
    }

    private int indexOf(int port) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).port() == port) {
                return i;
            }
        }
        throw new IllegalStateException("no node on port " + port);
    }

    private void launch() {
        int total = masters * (1 + replicasPerMaster);
        for (int i = 0; i < total; i++) {
            RedisServerBuilder b =
                    RedisServerProcess.builder()
                            .embeddedBinary(embeddedBinary)
                            .extraArgs(
                                    "--cluster-enabled",
                                    "yes",
                                    "--cluster-config-file",
                                    "nodes.conf",
                                    "--cluster-node-timeout",
                                    Long.toString(nodeTimeout.toMillis()),
                                    "--repl-diskless-sync-delay",
                                    "0");
            if (password != null) {
                b.password(password).extraArgs("--masterauth", password);
            }
            nodes.add(b.start());
        }
    }

    private void form() {
        for (int i = 0; i < nodes.size(); i++) {
            try (Jedis j = jedis(i)) {
                ids.add(j.clusterMyId());
            }
        }
        for (int m = 0; m < masters; m++) {
            int from = m * (SLOTS / masters);
            int to = m == masters - 1 ? SLOTS - 1 : (m + 1) * (SLOTS / masters) - 1;
            try (Jedis j = jedis(m)) {
                // distinct epochs, as redis-cli gives them, so no collision has to be settled
                j.clusterSetConfigEpoch(m + 1);
                j.clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
            }
        }
        RedisServerProcess first = nodes.get(0);
        for (int i = 1; i < nodes.size(); i++) {
            try (Jedis j = jedis(i)) {
                j.clusterMeet(first.host(), first.port());
            }
        }
        Conditions.await(
                "every node to know all " + nodes.size() + " nodes",
                READY_TIMEOUT,
                () ->
                        allLive(
                                j -> {
                                    String all = j.clusterNodes();
                                    return all.lines().count() == nodes.size()
                                            && !all.contains("handshake")
                                            && !all.contains("noaddr");
                                }));
        for (int r = masters; r < nodes.size(); r++) {
            String masterId = ids.get((r - masters) % masters);
            int replica = r;
            Conditions.await(
                    "node " + r + " to become a replica of " + masterId,
                    READY_TIMEOUT,
                    () -> {
                        try (Jedis j = jedis(replica)) {
                            j.clusterReplicate(masterId);
                            return true;
                        } catch (JedisException e) {
                            return false; // the master is not known as one yet
                        }
                    });
        }
        Conditions.await(
                "the cluster to be ok with every replica in sync",
                READY_TIMEOUT,
                () ->
                        allLive(
                                j -> {
                                    if (!j.clusterInfo().contains("cluster_state:ok")) {
                                        return false;
                                    }
                                    String repl = j.info("replication");
                                    if (repl.contains("role:slave")) {
                                        return repl.contains("master_link_status:up")
                                                && repl.contains("master_sync_in_progress:0");
                                    }
                                    return repl.contains("connected_slaves:" + replicasPerMaster)
                                            && j.clusterSlots().stream()
                                                    .allMatch(
                                                            s ->
                                                                    ((List<?>) s).size()
                                                                            == 3
                                                                                    + replicasPerMaster);
                                }));
    }

    private interface NodeCheck {
        boolean test(Jedis j);
    }

    private boolean allLive(NodeCheck check) {
        for (int i = 0; i < nodes.size(); i++) {
            if (killed.contains(i)) {
                continue;
            }
            try (Jedis j = jedis(i)) {
                if (!check.test(j)) {
                    return false;
                }
            } catch (JedisException e) {
                return false;
            }
        }
        return true;
    }

    /** Options of a new cluster. */
    public static final class Builder {
        private int masters = 3;
        private int replicasPerMaster = 1;
        private Duration nodeTimeout = Duration.ofSeconds(2);
        private String password;
        private boolean embeddedBinary;

        private Builder() {}

        public Builder masters(int masters) {
            this.masters = masters;
            return this;
        }

        public Builder replicasPerMaster(int replicas) {
            this.replicasPerMaster = replicas;
            return this;
        }

        /**
         * {@code cluster-node-timeout}: how long a master may be silent before it is failed over;
         * default 2 s (Redis's own default is 15 s).
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /** Every node requires this password and replicas use it for their masters. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Runs embedded-redis's binary even when redis-server is installed. */
        public Builder embeddedBinary(boolean embedded) {
            this.embeddedBinary = embedded;
            return this;
        }

        /**
         * Starts every node and forms the cluster; closes what it started if that fails.
         *
         * @throws IllegalStateException when a node does not start or the cluster does not form
         */
        public RedisCluster start() {
            RedisCluster cluster = new RedisCluster(this);
            try {
                cluster.launch();
                cluster.form();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
