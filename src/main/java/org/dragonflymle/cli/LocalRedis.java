package org.dragonflymle.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.server.RedisProbe;
import org.dragonflymle.redis.server.RedisServerBuilder;
import org.dragonflymle.redis.server.RedisServerProcess;

/**
 * Local mode's promise that scripts find a Redis: when nothing answers at the configured address
 * and that address is this machine, a real redis-server is started for the run (the installed one,
 * else the binary shipped in the embedded-redis jar) and stopped when the run ends. A remote
 * address that does not answer is left alone: hiredis reports it to the scripts.
 *
 * <p>The server it starts dies with the engine, also when the JVM is killed (a parent-death
 * signal), and its directory and socket are removed when the engine ends; what a killed run left
 * behind anyway is removed before the next run looks for a Redis, so a resumed run never adopts an
 * orphan. Scripts connect as a user that may not administer the server ({@link
 * Capabilities#aclRules}), which also binds Redis scripts they EVAL.
 */
final class LocalRedis implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final RedisServerProcess server;
    private final PrintStream terminal;

    private LocalRedis(RedisServerProcess server, PrintStream terminal) {
        this.server = server;
        this.terminal = terminal;
    }

    static LocalRedis none() {
        return new LocalRedis(null, null);
    }

    /**
     * @param allowedAdmin admin commands config.lua lets scripts send ({@link
     *     Capabilities#aclRules})
     * @param cpu the CPU a server started here runs on, or -1 ({@link LocalModeOptions#REDIS_CPU})
     */
    static LocalRedis ensure(
            RedisSpec redis, Set<String> allowedAdmin, int cpu, PrintStream terminal) {
        if (!redis.isStandalone()) {
            return none(); // a Cluster or Sentinel deployment is the operator's, never started here
        }
        int stale = RedisServerProcess.removeStale();
        if (stale > 0) {
            terminal.println(
                    "dragonfly-mle: removed "
                            + stale
                            + " redis-server"
                            + (stale == 1 ? "" : "s")
                            + " left behind by engines that were killed");
        }
        boolean answering =
                redis.isUnixSocket()
                        ? RedisProbe.isAnswering(Path.of(redis.host()), PROBE_TIMEOUT)
                        : RedisProbe.isAnswering(redis.host(), redis.port(), PROBE_TIMEOUT);
        if (answering) {
            return none();
        }
        // a socket path names no server to start: another program owns that socket
        if (redis.isUnixSocket() || !isThisMachine(redis.host())) {
            terminal.println(
                    "dragonfly-mle: warning: no Redis answers at "
                            + redis.address()
                            + "; scripts calling hiredis.connect() will get an error");
            return none();
        }
        RedisServerBuilder builder =
                RedisServerProcess.builder()
                        .port(redis.port())
                        .cpu(cpu)
                        .acl(version -> Capabilities.aclRules(allowedAdmin, version))
                        .dieWithParent(true);
        if (redis.password() != null) {
            builder.password(redis.password());
        }
        RedisServerProcess server = builder.start();
        terminal.println(
                "dragonfly-mle: no Redis answered at "
                        + redis.address()
                        + "; started "
                        + server.describe()
                        + " for this run (stopped at the end, nothing kept on disk)"
                        + (cpu < 0 ? "" : "; on CPU " + cpu)
                        + (server.unixSocket() == null
                                ? ""
                                : "; scripts reach it through its Unix socket "
                                        + server.unixSocket()));
        return new LocalRedis(server, terminal);
    }

    /**
     * Where the engine's scripts reach Redis: the Unix socket of the server started here (faster
     * than loopback TCP; it answers to the same data), else the configured address.
     */
    RedisSpec reachThrough(RedisSpec configured) {
        return server == null || server.unixSocket() == null
                ? configured
                : configured.withUnixSocket(server.unixSocket().toString());
    }

    private static boolean isThisMachine(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            terminal.println("dragonfly-mle: stopped " + server.describe());
        }
    }
}
