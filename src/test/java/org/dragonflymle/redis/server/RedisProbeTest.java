package org.dragonflymle.redis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The launcher's question "is a Redis server on this Unix socket?", without a Redis server. */
class RedisProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir Path dir;

    @Test
    void noSocketFileIsNoServer() {
        assertThat(RedisProbe.isAnswering(dir.resolve("redis.sock"), TIMEOUT)).isFalse();
    }

    @Test
    void aRegularFileIsNoServer() throws Exception {
        Path file = Files.writeString(dir.resolve("redis.sock"), "not a socket");
        assertThat(RedisProbe.isAnswering(file, TIMEOUT)).isFalse();
    }

    @Test
    void aSocketThatAnswersPingLikeRedisIsOneAndOneThatSaysSomethingElseIsNot() throws Exception {
        assertThat(probeAgainst("+PONG\r\n")).isTrue();
        assertThat(probeAgainst("-NOAUTH Authentication required.\r\n"))
                .as("a server that wants a password is there")
                .isTrue();
        assertThat(probeAgainst("HTTP/1.1 400 Bad Request\r\n")).isFalse();
    }

    private boolean probeAgainst(String answer) throws Exception {
        Path path = dir.resolve("s" + System.nanoTime() + ".sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(path));
            Thread t =
                    new Thread(
                            () -> {
                                try (Socket s = server.accept()) {
                                    InputStream in = s.getInputStream();
                                    byte[] ping = new byte[6];
                                    int n = 0;
                                    while (n < ping.length) {
                                        int r = in.read(ping, n, ping.length - n);
                                        if (r < 0) {
                                            return;
                                        }
                                        n += r;
                                    }
                                    s.getOutputStream()
                                            .write(answer.getBytes(StandardCharsets.US_ASCII));
                                } catch (Exception e) {
                                    // the probe gave up: its answer says so
                                }
                            });
            t.start();
            boolean answering = RedisProbe.isAnswering(path, TIMEOUT);
            t.join(10_000);
            return answering;
        }
    }
}
