package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dragonflymle.redis.server.RedisServerBuilder;
import org.dragonflymle.redis.server.RedisServerProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Sentinel setup for tests: one master, one replica and three Sentinels ({@code redis-server
 * --sentinel}, quorum 2) watching them under the name {@link #MASTER_NAME}, all on 127.0.0.1,
 * started from the same binary by {@link RedisServerProcess}.
 *
 * <p>{@link #start} returns once every Sentinel knows the master, its replica and the two other
 * Sentinels, so a failover can happen from then on. {@link #killMaster} ends the current master
 * with SIGKILL; {@link #awaitFailover} waits until the Sentinels agree on the promoted replica and
 * it answers as a master. {@link #close} ends every process and deletes the Sentinels'
 * configuration files (each rewrites its own, so each has a directory of its own).
 */
public final class RedisSentinelGroup implements AutoCloseable {

    public static final String MASTER_NAME = "dragonfly";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Duration downAfter;
    private final String password;
    private final boolean embeddedBinary;
    private final List<RedisServerProcess> data = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private final List<Path> configDirs = new ArrayList<>();

    private RedisSentinelGroup(Builder b) {
        this.downAfter = b.downAfter;
        this.password = b.password;
        this.embeddedBinary = b.embeddedBinary;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Sentinels' addresses, host:port. */
    public List<String> sentinelAddresses() {
        return sentinels.stream().map(s -> s.host() + ":" + s.port()).toList();
    }

    /** config.lua text that points the engine at the master through the Sentinels. */
    public String configLua() {
        StringBuilder s =
                new StringBuilder(
                        "redis_sentinel = { master = \"" + MASTER_NAME + "\", nodes = { ");
        for (String a : sentinelAddresses()) {
            s.append('"').append(a).append("\", ");
        }
        s.append("} }\n");
        if (password != null) {
            s.append("redis_password = \"").append(password).append("\"\n");
        }
        return s.toString();
    }

    public String password() {
        return password;
    }

    /** The master and the replica, as started (the master first). */
    public List<RedisServerProcess> dataNodes() {
        return List.copyOf(data);
    }

    public List<RedisServerProcess> sentinels() {
        return List.copyOf(sentinels);
    }

    /** The port of the master as the first Sentinel that answers reports it. */
    public int masterPort() {
        for (RedisServerProcess s : sentinels) {
            try (Jedis j = new Jedis(s.host(), s.port(), 2000)) {
                return Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
            } catch (JedisException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel answers");
    }

    /** The data node (master or replica) listening on {@code port}. */
    public RedisServerProcess dataNode(int port) {
        return data.stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no data node on port " + port));
    }

    /** The data node that is not the master now (the replica). */
    public RedisServerProcess replica() {
        int master = masterPort();
        return data.stream().filter(n -> n.port() != master).findFirst().orElseThrow();
    }

    /** Ends the current master with SIGKILL and returns its port. */
    public int killMaster() {
        int port = masterPort();
        RedisServerProcess master = dataNode(port);
        ProcessHandle.of(master.pid())
                .ifPresent(
                        p -> {
                            p.destroyForcibly();
                            p.onExit().join();
                        });
        return port;
    }

    /** Whether every process still runs (nothing was killed). */
    public boolean intact() {
        return data.stream().allMatch(RedisServerProcess::isRunning)
                && sentinels.stream().allMatch(RedisServerProcess::isRunning);
    }

    /**
     * Waits until every Sentinel names a master other than {@code oldPort} and that server answers
     * ROLE as a master; returns its port.
     */
    public int awaitFailover(int oldPort, Duration timeout) {
        int[] now = {-1};
        Conditions.await(
                "the Sentinels to promote a replica of 127.0.0.1:" + oldPort,
                timeout,
                () -> {
                    int agreed = -1;
                    for (RedisServerProcess s : sentinels) {
                        try (Jedis j = new Jedis(s.host(), s.port(), 2000)) {
                            int p =
                                    Integer.parseInt(
                                            j.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
                            if (p == oldPort || (agreed != -1 && p != agreed)) {
                                return false;
                            }
                            agreed = p;
                        }
                    }
                    try (Jedis j = jedis(agreed)) {
                        now[0] = agreed;
                        return j.role().get(0).equals("master");
                    }
                });
        return now[0];
    }

    /** A client of the data node on {@code port}; the caller closes it. */
    public Jedis jedis(int port) {
        return new Jedis(
                "127.0.0.1",
                port,
                DefaultJedisClientConfig.builder().password(password).timeoutMillis(5000).build());
    }

    /** A client of the current master; the caller closes it. */
    public Jedis master() {
        return jedis(masterPort());
    }

    @Override
    public void close() {
        for (RedisServerProcess s : sentinels) {
            s.close();
        }
        for (RedisServerProcess n : data) {
            n.close();
        }
        sentinels.clear();
        data.clear();
        for (Path dir : configDirs) {
            deleteTree(dir);
        }
        configDirs.clear();
    }

    private void launch() {
        RedisServerProcess master = dataNodeBuilder().start();
        data.add(master);
        data.add(
                dataNodeBuilder()
                        .extraArgs("--replicaof", master.host(), Integer.toString(master.port()))
                        .start());
        Conditions.await(
                "the replica to sync with the master",
                READY_TIMEOUT,
                () -> {
                    try (Jedis j = jedis(data.get(1).port())) {
                        String repl = j.info("replication");
                        return repl.contains("master_link_status:up")
                                && repl.contains("master_sync_in_progress:0");
                    }
                });
        for (int i = 0; i < 3; i++) {
            Path dir = createDir();
            configDirs.add(dir);
            Path conf = dir.resolve("sentinel.conf");
            StringBuilder text =
                    new StringBuilder()
                            .append("sentinel monitor ")
                            .append(MASTER_NAME)
                            .append(" 127.0.0.1 ")
                            .append(master.port())
                            .append(" 2\n")
                            .append("sentinel down-after-milliseconds ")
                            .append(MASTER_NAME)
                            .append(' ')
                            .append(downAfter.toMillis())
                            .append('\n')
                            .append("sentinel failover-timeout ")
                            .append(MASTER_NAME)
                            .append(" 10000\n");
            if (password != null) {
                text.append("sentinel auth-pass ")
                        .append(MASTER_NAME)
                        .append(' ')
                        .append(password)
                        .append('\n');
            }
            try {
                Files.writeString(conf, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sentinels.add(
                    RedisServerProcess.builder()
                            .embeddedBinary(embeddedBinary)
                            .configFile(conf)
                            .extraArgs("--sentinel")
                            .start());
        }
        Conditions.await(
                "every Sentinel to know the replica and the two other Sentinels",
                READY_TIMEOUT,
                () -> {
                    for (RedisServerProcess s : sentinels) {
                        try (Jedis j = new Jedis(s.host(), s.port(), 2000)) {
                            if (j.sentinelReplicas(MASTER_NAME).size() != 1
                                    || j.sentinelSentinels(MASTER_NAME).size() != 2) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    private RedisServerBuilder dataNodeBuilder() {
        RedisServerBuilder b =
                RedisServerProcess.builder()
                        .embeddedBinary(embeddedBinary)
                        .extraArgs("--repl-diskless-sync-delay", "0");
        if (password != null) {
            b.password(password).extraArgs("--masterauth", password);
        }
        return b;
    }

    private static Path createDir() {
        try {
            return Files.createTempDirectory("redis-sentinel-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory harms no one
        }
    }

    /** Options of a new group. */
    public static final class Builder {
        private Duration downAfter = Duration.ofSeconds(2);
        private String password;
        private boolean embeddedBinary;

        private Builder() {}

        /**
         * {@code down-after-milliseconds}: how long the master may be silent before the Sentinels
         * fail it over; default 2 s (Sentinel's own default is 30 s).
         */
        public Builder downAfter(Duration downAfter) {
            this.downAfter = downAfter;
            return this;
        }

        /** The master and replica require this password; the Sentinels use it. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder embeddedBinary(boolean embedded) {
            this.embeddedBinary = embedded;
            return this;
        }

        /** Starts the group; closes what it started if that fails. */
        public RedisSentinelGroup start() {
            RedisSentinelGroup g = new RedisSentinelGroup(this);
            try {
                g.launch();
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
            return g;
        }
    }
}
