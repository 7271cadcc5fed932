package org.dragonflymle.redis.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Whether a redis-server just launched is up: it answers on its port, and what answers is that very
 * process (INFO's process_id), so a foreign server on the same port is never taken for it. When it
 * exits instead, the last lines of its log say why; "Address already in use" is a {@link
 * PortInUseException}, for the caller to try another free port.
 */
final class RedisReadiness {

    private final Process process;
    private final String description;
    private final int port;
    private final String password;

    RedisReadiness(Process process, String description, int port, String password) {
        this.process = process;
        this.description = description;
        this.port = port;
        this.password = password;
    }

    /**
     * Waits until the server on our port is our process (its INFO process_id matches), so a foreign
     * server on the same port is never mistaken for ours.
     */
    void await(Path log, Duration startTimeout) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = tail(log);
                String message =
                        description
                                + " exited with "
                                + process.exitValue()
                                + " at start: "
                                + output;
                if (output.contains("Address already in use")) {
                    throw new PortInUseException(message);
                }
                throw new IllegalStateException(message);
            }
            if (servedByOurProcess()) {
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException(
                description + " did not answer within " + startTimeout + ": " + tail(log));
    }

    private boolean servedByOurProcess() {
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder().timeoutMillis(500).password(password);
        try (Jedis jedis = new Jedis(RedisServerProcess.HOST, port, config.build())) {
            String info = jedis.info("server");
            return info.contains("process_id:" + process.pid() + "\r\n");
        } catch (JedisConnectionException e) {
            return false;
        } catch (JedisDataException e) {
            // Someone else's server (wrong password) or ours still loading: not ready.
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    /** The port was taken between choosing it and the server binding it. */
    static final class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
