package org.dragonflymle.redis.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dragonflymle.config.RedisSpec;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Whether a Redis server is there: what the launcher asks before it starts one of its own. */
public final class RedisProbe {

    private RedisProbe() {}

    /**
     * Whether something speaking the Redis protocol answers a PING on {@code host:port} within
     * {@code timeout}. A server that requires a password answers with NOAUTH, which counts: it is
     * there.
     */
    public static boolean isAnswering(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Jedis jedis = new Jedis(host, port, millis)) {
            jedis.ping();
            return true;
        } catch (JedisDataException e) {
            return true;
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Whether a Redis server answers a PING on the Unix socket {@code path} within {@code timeout};
     * an error reply (NOAUTH) counts, as for {@link #isAnswering(String, int, Duration)}.
     */
    public static boolean isAnswering(Path socket, Duration timeout) {
        if (!Files.exists(socket)) {
            return false; // no socket file, no server (and no native socket library to load)
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            s.setSoTimeout(millis);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            int first = s.getInputStream().read();
            return first == '+' || first == '-';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * How many keys database {@code db} of the standalone server of {@code spec} holds (DBSIZE),
     * reached with its credentials and TLS, over TCP or its Unix socket.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when it cannot be asked
     */
    public static long dbSize(RedisSpec spec, int db, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        JedisClientConfig config =
                DefaultJedisClientConfig.builder()
                        .user(spec.user())
                        .password(spec.password())
                        .database(db)
                        .ssl(spec.tls())
                        .timeoutMillis(millis)
                        .build();
        JedisSocketFactory unix =
                () -> {
                    try {
                        Socket s =
                                AFUNIXSocket.connectTo(
                                        AFUNIXSocketAddress.of(Path.of(spec.host())));
                        s.setSoTimeout(millis);
                        return s;
                    } catch (IOException e) {
                        throw new JedisConnectionException(e);
                    }
                };
        try (Jedis jedis =
                spec.isUnixSocket()
                        ? new Jedis(unix, config)
                        : new Jedis(new HostAndPort(spec.host(), spec.port()), config)) {
            return jedis.dbSize();
        }
    }
}
