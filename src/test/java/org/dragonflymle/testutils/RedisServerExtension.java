package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.server.RedisServerBuilder;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server for the tests of one class: started before all of them on a free port,
 * emptied (FLUSHALL) before each, stopped after all.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
 * }</pre>
 *
 * A test may {@link RedisServerProcess#stop() stop} the {@link #server()} to simulate an outage;
 * the next test gets it running again. {@link #jedis()} is a fresh client per test, for assertions.
 * By default a stopped server forgets everything; {@link #keepingDataAcrossRestarts()} gives one
 * that comes back with its data, for tests that check what Redis saw before an outage.
 */
public final class RedisServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final UnaryOperator<RedisServerBuilder> options;
    private final boolean keepData;
    private RedisServerProcess server;
    private Path dataDir;
    private Jedis jedis;

    public RedisServerExtension() {
        this(UnaryOperator.identity());
    }

    /** With server options, e.g. {@code b -> b.password("secret")}. */
    public RedisServerExtension(UnaryOperator<RedisServerBuilder> options) {
        this(options, false);
    }

    private RedisServerExtension(UnaryOperator<RedisServerBuilder> options, boolean keepData) {
        this.options = options;
        this.keepData = keepData;
    }

    /**
     * A server whose data survives {@link RedisServerProcess#stop() stop()} and {@link
     * RedisServerProcess#start() start()} on the same port: an append-only file (fsynced by
     * redis-server when it is told to stop) in a directory of its own, deleted after all tests.
     */
    public static RedisServerExtension keepingDataAcrossRestarts() {
        return keepingDataAcrossRestarts(UnaryOperator.identity());
    }

    /** {@link #keepingDataAcrossRestarts()} with more server options. */
    public static RedisServerExtension keepingDataAcrossRestarts(
            UnaryOperator<RedisServerBuilder> options) {
        return new RedisServerExtension(options, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        RedisServerBuilder builder = options.apply(RedisServerProcess.builder());
        if (keepData) {
            try {
                dataDir = Files.createTempDirectory("redis-data-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // later arguments win over RedisServerProcess's own --dir and --appendonly no
            builder.extraArgs("--dir", dataDir.toString(), "--appendonly", "yes");
        }
        server = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!server.isRunning()) {
            server.stop();
            server.start();
        }
        closeJedis();
        jedis = newJedis();
        jedis.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeJedis();
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a leftover temporary directory harms no one
            }
            dataDir = null;
        }
    }

    public RedisServerProcess server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** Where {@code hiredis.connect()} should go: this server, with its password if any. */
    public RedisSpec spec() {
        return new RedisSpec(server.host(), server.port(), server.password(), 0, false);
    }

    /** This test's client (database 0). */
    public Jedis jedis() {
        return jedis;
    }

    /** A new client the caller closes, e.g. after the server was restarted. */
    public Jedis newJedis() {
        return new Jedis(
                server.host(),
                server.port(),
                DefaultJedisClientConfig.builder().password(server.password()).build());
    }

    private void closeJedis() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                // The server may have been stopped under it.
            }
            jedis = null;
        }
    }
}
