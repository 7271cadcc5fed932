package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.ReconnectPolicy;
import org.dragonflymle.redis.ReconnectingConnection;
import org.dragonflymle.redis.RedisOutageLog;
import org.dragonflymle.redis.RespReply;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LocalRedisITCase {

    @RegisterExtension static final RedisServerExtension RUNNING = new RedisServerExtension();

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);

    @Test
    void aServerItStartsIsReachedThroughItsUnixSocketAndStoppedAtTheEnd() throws Exception {
        RedisSpec configured = RedisSpec.defaults().withPort(freePort());
        Path socket;
        try (LocalRedis local = LocalRedis.ensure(configured, java.util.Set.of(), -1, out)) {
            RedisSpec reached = local.reachThrough(configured);
            assertThat(reached.isUnixSocket()).isTrue();
            socket = Path.of(reached.host());
            assertThat(terminal.toString(StandardCharsets.UTF_8))
                    .contains("no Redis answered at 127.0.0.1:" + configured.port())
                    .contains("scripts reach it through its Unix socket " + socket);
            try (ReconnectingConnection viaSocket = connect(reached);
                    ReconnectingConnection viaTcp = connect(configured)) {
                viaSocket.command(bytes("SET", "seen", "over the socket"));
                assertThat(viaTcp.command(bytes("GET", "seen")))
                        .isEqualTo(RespReply.bulk("over the socket"));
            }
        }
        assertThat(Files.exists(socket)).isFalse();
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("dragonfly-mle: stopped");
    }

    @Test
    void aServerAlreadyAnsweringIsUsedAsConfigured() {
        RedisSpec configured = RUNNING.spec();
        try (LocalRedis local = LocalRedis.ensure(configured, java.util.Set.of(), -1, out)) {
            assertThat(local.reachThrough(configured)).isEqualTo(configured);
        }
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aServerAnsweringOnAConfiguredSocketPathIsUsedWithoutAWarning() {
        RedisSpec configured =
                RUNNING.spec().withUnixSocket(RUNNING.server().unixSocket().toString());
        try (LocalRedis local = LocalRedis.ensure(configured, java.util.Set.of(), -1, out)) {
            assertThat(local.reachThrough(configured)).isEqualTo(configured);
        }
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aSocketPathNobodyAnswersOnIsWarnedAboutAndNoServerIsStarted(@TempDir Path dir) {
        RedisSpec configured =
                RedisSpec.defaults().withUnixSocket(dir.resolve("none.sock").toString());
        try (LocalRedis local = LocalRedis.ensure(configured, java.util.Set.of(), -1, out)) {
            assertThat(local.reachThrough(configured)).isEqualTo(configured);
        }
        assertThat(terminal.toString(StandardCharsets.UTF_8))
                .contains("warning: no Redis answers at " + dir.resolve("none.sock"))
                .doesNotContain("started");
    }

    private static ReconnectingConnection connect(RedisSpec spec) {
        return ReconnectingConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(2)),
                CommandInterceptor.NONE,
                new RedisOutageLog());
    }

    private static List<byte[]> bytes(String... args) {
        return java.util.Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
