package org.dragonflymle.redis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import org.dragonflymle.os.CpuAffinity;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

class RedisServerProcessITCase {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void startsOnAFreePortAnswersAndStops() {
        RedisServerProcess server = RedisServerProcess.startOnFreePort();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(RedisProbe.isAnswering("127.0.0.1", server.port(), PING_TIMEOUT)).isTrue();
            assertThat(server.describe())
                    .isEqualTo(
                            "redis-server " + server.binary() + " on 127.0.0.1:" + server.port());
            // the installed one when there is one, else embedded-redis's (a machine without Redis)
            assertThat(server.binary().source())
                    .isEqualTo(
                            RedisServerBinary.findInstalled() != null
                                    ? RedisServerBinary.Source.INSTALLED
                                    : RedisServerBinary.Source.EMBEDDED);
        } finally {
            server.close();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(RedisProbe.isAnswering("127.0.0.1", server.port(), PING_TIMEOUT)).isFalse();
    }

    /** Its own session: scheduled as its own group, not queued behind the engine's threads. */
    @Test
    void runsInASessionOfItsOwn() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.startOnFreePort()) {
            long pid = pidFromInfo(server);

            assertThat(sessionOf(pid)).isEqualTo(pid);
            assertThat(sessionOf(ProcessHandle.current().pid())).isNotEqualTo(pid);
        }
    }

    /** Unpinned unless asked: the scheduler places it like any other process of the run. */
    @Test
    void runsWhereverTheSchedulerPutsItByDefault() {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        try (RedisServerProcess server = RedisServerProcess.startOnFreePort()) {
            assertThat(CpuAffinity.ofProcess(server.pid())).contains(own);
        }
    }

    /** Pinned by redis-server itself (server_cpulist) when the launcher names a CPU. */
    @Test
    void runsOnTheCpuItIsGiven() {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        assumeTrue(own.cardinality() > 1, "needs a machine with two CPUs or more");
        int last = own.length() - 1;
        try (RedisServerProcess server = RedisServerProcess.builder().cpu(last).start()) {
            BitSet expected = new BitSet();
            expected.set(last);

            assertThat(CpuAffinity.ofProcess(server.pid())).contains(expected);
            assertThat(server.pid()).isEqualTo(pidFromInfo(server));
        }
    }

    @Test
    void refusesANegativeCpu() {
        assertThatThrownBy(() -> RedisServerProcess.builder().cpu(-2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long pidFromInfo(RedisServerProcess server) {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            return Long.parseLong(
                    jedis.info("server")
                            .lines()
                            .filter(l -> l.startsWith("process_id:"))
                            .findFirst()
                            .orElseThrow()
                            .substring("process_id:".length())
                            .trim());
        }
    }

    /** Field 6 of /proc/PID/stat, counted after the command name in parentheses. */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    @Test
    void keepsNothingOnDiskAndCleansItsDirectory() {
        try (RedisServerProcess server = RedisServerProcess.startOnFreePort();
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.configGet("save")).containsEntry("save", "");
            assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
            Path dir = Path.of(jedis.configGet("dir").get("dir"));
            assertThat(dir).isDirectory();

            server.stop();

            assertThat(Files.exists(dir)).isFalse();
        }
    }

    @Test
    void restartsOnTheSamePortWithEmptyData() {
        try (RedisServerProcess server = RedisServerProcess.startOnFreePort()) {
            int port = server.port();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.set("k", "v");
            }

            server.stop();
            assertThat(RedisProbe.isAnswering("127.0.0.1", port, PING_TIMEOUT)).isFalse();
            server.start();

            assertThat(server.port()).isEqualTo(port);
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.get("k")).isNull();
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
            assertThatThrownBy(server::start).hasMessageContaining("already running");
        }
    }

    @Test
    void requiresThePasswordItWasGiven() {
        try (RedisServerProcess server = RedisServerProcess.builder().password("s3cret").start()) {
            assertThat(RedisProbe.isAnswering("127.0.0.1", server.port(), PING_TIMEOUT))
                    .as("NOAUTH is an answer")
                    .isTrue();
            try (Jedis jedis =
                    new Jedis(
                            "127.0.0.1",
                            server.port(),
                            DefaultJedisClientConfig.builder().password("s3cret").build())) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
            try (Jedis anonymous = new Jedis("127.0.0.1", server.port())) {
                assertThatThrownBy(() -> anonymous.get("k")).hasMessageContaining("NOAUTH");
            }
        }
    }

    @Test
    void embeddedJarBinaryIsExtractedRunAndDeleted() {
        RedisServerProcess server = RedisServerProcess.builder().embeddedBinary(true).start();
        Path binary = server.binary().path();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(server.binary().source()).isEqualTo(RedisServerBinary.Source.EMBEDDED);
            assertThat(server.describe()).contains("embedded-redis");
            assertThat(jedis.info("server")).contains("redis_version:6.2");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
        } finally {
            server.close();
        }
        assertThat(Files.exists(binary)).isFalse();
    }

    @Test
    void failsWithTheServersOwnWordsWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> RedisServerProcess.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void nothingAnswersOnAClosedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(RedisProbe.isAnswering("127.0.0.1", port, Duration.ofMillis(300))).isFalse();
    }
}
