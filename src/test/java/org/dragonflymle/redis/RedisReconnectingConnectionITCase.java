package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.testutils.RedisLogCapture;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

class RedisReconnectingConnectionITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private final List<ReconnectingConnection> opened = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        opened.forEach(ReconnectingConnection::close);
    }

    private ReconnectingConnection open(CommandInterceptor interceptor, Duration budget) {
        return open(REDIS.spec(), interceptor, budget, new RedisOutageLog());
    }

    private ReconnectingConnection open(
            RedisSpec spec, CommandInterceptor interceptor, Duration budget, RedisOutageLog log) {
        ReconnectingConnection c =
                ReconnectingConnection.open(
                        spec, ReconnectPolicy.withBudget(budget), interceptor, log);
        opened.add(c);
        return c;
    }

    private static List<byte[]> cmd(String... args) {
        List<byte[]> bytes = new ArrayList<>();
        for (String a : args) {
            bytes.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    /** Answers ECHO.UPPER itself, and MODEL.SET/GET by storing in Redis under its own key. */
    private static final CommandInterceptor TEST_INTERCEPTOR =
            (args, redis) -> {
                String name = new String(args.get(0), StandardCharsets.UTF_8);
                if (name.equalsIgnoreCase("ECHO.UPPER")) {
                    return args.size() == 2
                            ? RespReply.bulk(
                                    new String(args.get(1), StandardCharsets.UTF_8).toUpperCase())
                            : RespReply.error("ERR wrong number of arguments for 'echo.upper'");
                }
                if (name.equalsIgnoreCase("MODEL.SET")) {
                    RespReply stored =
                            redis.execute(List.of("SET".getBytes(), args.get(1), args.get(2)));
                    return stored.equals(RespReply.OK) ? RespReply.OK : stored;
                }
                if (name.equalsIgnoreCase("MODEL.GET")) {
                    return redis.execute("GET", new String(args.get(1), StandardCharsets.UTF_8));
                }
                return null;
            };

    @Test
    void aUnixSocketPathReachesTheSameServerAsItsTcpPort() {
        assertThat(REDIS.server().unixSocket()).isNotNull();
        RedisSpec unix = REDIS.spec().withUnixSocket(REDIS.server().unixSocket().toString());
        ReconnectingConnection overSocket =
                open(unix, CommandInterceptor.NONE, Duration.ofSeconds(2), new RedisOutageLog());
        ReconnectingConnection overTcp = open(CommandInterceptor.NONE, Duration.ofSeconds(2));
        assertThat(overSocket.address()).isEqualTo(REDIS.server().unixSocket().toString());
        overSocket.command(cmd("SET", "unix:key", "through the socket"));
        assertThat(overTcp.command(cmd("GET", "unix:key")))
                .isEqualTo(RespReply.bulk("through the socket"));
        RespReply client = overSocket.command(cmd("CLIENT", "INFO"));
        assertThat(((RespReply.BulkReply) client).text())
                .contains("laddr=" + REDIS.server().unixSocket());
    }

    @Test
    void interceptorAnswersLikeRedisAndDeclinesTheRest() {
        ReconnectingConnection c = open(TEST_INTERCEPTOR, Duration.ofSeconds(2));

        assertThat(c.command(cmd("echo.upper", "abc"))).isEqualTo(RespReply.bulk("ABC"));
        assertThat(c.command(cmd("ECHO.UPPER"))).isInstanceOf(RespReply.ErrorReply.class);
        assertThat(c.command(cmd("MODEL.SET", "m", "42"))).isSameAs(RespReply.OK);
        assertThat(REDIS.jedis().get("m")).as("kept in Redis").isEqualTo("42");
        assertThat(c.command(cmd("MODEL.GET", "m"))).isEqualTo(RespReply.bulk("42"));
        assertThat(c.command(cmd("PING"))).isSameAs(RespReply.PONG);
    }

    @Test
    void interceptedRepliesKeepTheirPlaceInAPipeline() {
        ReconnectingConnection c = open(TEST_INTERCEPTOR, Duration.ofSeconds(2));

        c.append(cmd("SET", "a", "1"));
        c.append(cmd("ECHO.UPPER", "x"));
        c.append(cmd("INCR", "a"));
        // Uses Redis while two replies are still on the socket: they must not be mixed up.
        c.append(cmd("MODEL.SET", "m", "7"));
        c.append(cmd("GET", "m"));
        assertThat(c.pendingReplies()).isEqualTo(5);

        assertThat(c.nextReply()).isSameAs(RespReply.OK);
        assertThat(c.nextReply()).isEqualTo(RespReply.bulk("X"));
        assertThat(c.nextReply()).isEqualTo(RespReply.integer(2));
        assertThat(c.nextReply()).isSameAs(RespReply.OK);
        assertThat(c.nextReply()).isEqualTo(RespReply.bulk("7"));
        assertThat(c.pendingReplies()).isZero();
        assertThatThrownBy(c::nextReply).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void commandWhileRepliesArePendingReturnsTheOldestAsHiredisDoes() {
        ReconnectingConnection c = open(CommandInterceptor.NONE, Duration.ofSeconds(2));

        c.append(cmd("INCR", "n"));
        assertThat(c.command(cmd("INCR", "n"))).isEqualTo(RespReply.integer(1));
        assertThat(c.nextReply()).isEqualTo(RespReply.integer(2));
    }

    @Test
    void pipelinedCommandsAreSentAgainAfterRedisRestarts() throws Exception {
        ReconnectingConnection c = open(CommandInterceptor.NONE, Duration.ofSeconds(15));
        c.append(cmd("INCR", "n"));
        c.append(cmd("INCR", "n"));
        c.append(cmd("INCR", "n"));

        REDIS.server().stop();
        CompletableFuture<List<RespReply>> replies =
                CompletableFuture.supplyAsync(
                        () -> List.of(c.nextReply(), c.nextReply(), c.nextReply()));
        Thread.sleep(500);
        assertThat(replies).isNotDone();
        REDIS.server().start();

        assertThat(replies.get(20, TimeUnit.SECONDS))
                .containsExactly(RespReply.integer(1), RespReply.integer(2), RespReply.integer(3));
    }

    @Test
    void whenTheBudgetRunsOutEveryQueuedCommandIsAnsweredWithTheFailure() {
        ReconnectingConnection c = open(CommandInterceptor.NONE, Duration.ofMillis(400));
        c.append(cmd("SET", "a", "1"));
        c.append(cmd("SET", "b", "2"));

        REDIS.server().stop();

        assertThatThrownBy(c::nextReply)
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining(REDIS.spec().address());
        assertThatThrownBy(c::nextReply).isInstanceOf(RedisUnavailableException.class);
        assertThat(c.pendingReplies()).isZero();
    }

    @Test
    void oneOutageIsLoggedOnceHoweverManyCallsMeetIt() throws Exception {
        RedisOutageLog log = new RedisOutageLog();
        try (RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class)) {
            ReconnectingConnection a =
                    open(REDIS.spec(), CommandInterceptor.NONE, Duration.ofMillis(500), log);
            ReconnectingConnection b =
                    open(REDIS.spec(), CommandInterceptor.NONE, Duration.ofMillis(500), log);
            REDIS.server().stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> a.command(cmd("PING")))
                    .isInstanceOf(RedisUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500));

            // Budget spent: later calls fail at once instead of waiting it out again.
            start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(() -> a.command(cmd("INCR", "x")))
                        .isInstanceOf(RedisUnavailableException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(2));
            assertThatThrownBy(() -> b.command(cmd("PING")))
                    .isInstanceOf(RedisUnavailableException.class);
            assertThat(capture.lines())
                    .hasSize(2)
                    .allMatch(line -> line.startsWith("WARN"))
                    .anyMatch(line -> line.contains("is unreachable"))
                    .anyMatch(line -> line.contains("still unreachable after 0.5 s"));

            REDIS.server().start();
            Thread.sleep(
                    ReconnectPolicy.withBudget(Duration.ofMillis(500)).maxBackoff().toMillis());
            assertThat(a.command(cmd("PING"))).isSameAs(RespReply.PONG);
            assertThat(b.command(cmd("PING"))).isSameAs(RespReply.PONG);
            assertThat(capture.lines()).hasSize(3);
            assertThat(capture.lines().get(2)).contains("answers again");
        }
    }

    @Test
    void aDroppedIdleConnectionIsReplacedSilently() {
        try (RedisLogCapture capture = RedisLogCapture.of(RedisOutageLog.class)) {
            ReconnectingConnection c = open(CommandInterceptor.NONE, Duration.ofSeconds(2));
            REDIS.jedis()
                    .clientKill(
                            new ClientKillParams()
                                    .type(ClientType.NORMAL)
                                    .skipMe(ClientKillParams.SkipMe.YES));

            assertThat(c.command(cmd("PING"))).isSameAs(RespReply.PONG);
            assertThat(capture.lines()).isEmpty();
        }
    }

    @Test
    void connectingWhereNothingListensFailsAfterTheBudget() {
        RedisSpec nowhere = REDIS.spec().withPort(1);
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                open(
                                        nowhere,
                                        CommandInterceptor.NONE,
                                        Duration.ofMillis(300),
                                        new RedisOutageLog()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void databaseIsSelectedAndANonexistentOneRefusedAtOnce() {
        RedisSpec db3 = new RedisSpec("127.0.0.1", REDIS.port(), null, 3, false);
        ReconnectingConnection c =
                open(db3, CommandInterceptor.NONE, Duration.ofSeconds(2), new RedisOutageLog());
        c.command(cmd("SET", "k", "in-3"));
        try (Jedis jedis = REDIS.newJedis()) {
            assertThat(jedis.get("k")).isNull();
            jedis.select(3);
            assertThat(jedis.get("k")).isEqualTo("in-3");
        }

        RedisSpec db99 = new RedisSpec("127.0.0.1", REDIS.port(), null, 99, false);
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                open(
                                        db99,
                                        CommandInterceptor.NONE,
                                        Duration.ofSeconds(10),
                                        new RedisOutageLog()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("refused the connection")
                .hasMessageContaining("DB index is out of range");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void closedConnectionRefusesCommands() {
        ReconnectingConnection c = open(CommandInterceptor.NONE, Duration.ofSeconds(2));
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.command(cmd("PING")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
