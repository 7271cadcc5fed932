package org.dragonflymle.redis.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.os.CpuAffinity;
import org.dragonflymle.os.Executables;
import org.dragonflymle.redis.RedisColocation;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} child process bound to 127.0.0.1, for local runs that have no Redis
 * of their own and for tests.
 *
 * <p>What is promised: the server keeps nothing on disk ({@code --save "" --appendonly no}), works
 * in its own temporary directory, runs on one CPU of several (the last this JVM may use, see {@link
 * RedisColocation}), and answers PING when {@link Builder#start()} or {@link #start()} returns (or
 * they throw with the server's own log lines). {@link #stop()} ends the process and deletes its
 * directory; {@link #start()} brings it back on the same port, which is how tests simulate a Redis
 * outage. {@link #close()} also deletes a binary extracted from the embedded-redis jar. A JVM
 * shutdown hook ends the process if the owner never closes it. Methods are synchronized; one
 * instance may be stopped from one thread while another thread talks to the server.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";

    /**
     * Runs the server in a session of its own, as a service manager would: Linux then schedules it
     * as its own group (autogroup) instead of as one more thread of the engine's session, and a
     * Redis that answers every event's round trip is not queued behind the engine's busy threads.
     * On this project's 2-core machine hello-world went from about 23,000 to 31,000 events/s. The
     * shutdown hook and {@link #stop()} still end it; Ctrl-C in a terminal reaches only the engine,
     * which then stops it. {@code setsid} replaces itself with the server, so the process this
     * class holds is redis-server's own.
     */
    private static final Path SETSID = Executables.find("setsid");

    /**
     * The CPU the server is confined to: the last one this JVM may use, or -1 when it may use only
     * one (or that cannot be read). A server on one known CPU lets the threads that wait on it for
     * every event sleep on that same CPU instead of waking another for each reply (see {@link
     * RedisColocation}); the last CPU because CPU 0 takes most of the machine's interrupts. Without
     * taskset the server runs unconfined.
     */
    private static final int CPU =
            CpuAffinity.ofThisProcess()
                    .filter(cpus -> cpus.cardinality() > 1)
                    .map(cpus -> cpus.length() - 1)
                    .orElse(-1);

    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final RedisServerBinary binary;
    private final String password;
    private final List<String> extraArgs;
    private final Duration startTimeout;
    private int port;

    private Process process;
    private Path workDir;

    private Thread shutdownHook;

    private RedisServerProcess(Builder builder, RedisServerBinary binary) {
        this.binary = binary;
        this.password = builder.password;
        this.extraArgs = List.copyOf(builder.extraArgs);
        this.startTimeout = builder.startTimeout;
        this.port = builder.port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server on a free port with the installed (or else embedded) binary. */
    public static RedisServerProcess startOnFreePort() {
        return builder().start();
    }

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
     * Starts the server again after {@link #stop()}, on the same port. Returns once it answers.
     *
     * @throws IllegalStateException if it is already running or does not come up in time
     */
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException(describe() + " is already running");
        }
        launch();
    }

    /** Ends the server (SIGTERM, then SIGKILL after 10 s) and deletes its directory. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        removeShutdownHook();
        deleteWorkDir();
    }

    /** Stops the server and deletes an extracted binary. The instance cannot be started again. */
    @Override
    public synchronized void close() {
        stop();
        binary.deleteIfExtracted();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String host() {
        return HOST;
    }

    public synchronized int port() {
        return port;
    }

    /**
     * The server's Unix socket, next to its data in its own directory; {@code null} when it is not
     * running or the directory's path is too long for a socket address.
     */
    public synchronized Path unixSocket() {
        return process == null ? null : socketPath();
    }

    private Path socketPath() {
        Path socket = workDir.resolve("redis.sock");
        return socket.toString().getBytes(StandardCharsets.UTF_8).length
                        <= EndpointUri.MAX_SOCKET_PATH_BYTES
                ? socket
                : null;
    }

    /** The password given with {@link Builder#password}, or null. */
    public String password() {
        return password;
    }

    /** The executable in use, to tell the user which Redis they got. */
    public RedisServerBinary binary() {
        return binary;
    }

    /** For log lines: {@code redis-server /usr/bin/redis-server on 127.0.0.1:6379}. */
    public synchronized String describe() {
        return "redis-server " + binary + " on " + HOST + ":" + port;
    }

    /** The process id of the running server, or -1 when it is not running. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String toString() {
        return describe();
    }

    private void launch() {
        boolean pickPort = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (pickPort) {
                port = freePort();
            }
            try {
                launchOnce();
                return;
            } catch (PortInUseException e) {
                if (!pickPort || attempt >= FREE_PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
    }

    private void launchOnce() {
        workDir = createWorkDir();
        Path log = workDir.resolve("redis-server.log");
        ProcessBuilder pb = new ProcessBuilder(command());
        pb.directory(workDir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            deleteWorkDir();
            throw new UncheckedIOException("Cannot run " + describe(), e);
        }
        shutdownHook = new Thread(process::destroyForcibly, "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitReady(log);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (SETSID != null) {
            cmd.add(SETSID.toString());
        }
        if (CPU >= 0) {
            cmd.addAll(CpuAffinity.confiningPrefix(CPU));
        }
        cmd.add(binary.path().toString());
        cmd.addAll(List.of("--bind", HOST, "--port", Integer.toString(port)));
        cmd.addAll(List.of("--save", "", "--appendonly", "no", "--daemonize", "no"));
        cmd.addAll(List.of("--dir", workDir.toString(), "--logfile", ""));
        Path socket = socketPath();
        if (socket != null) {
            // Owner only: the socket skips TCP's bind address, so no other user may reach it.
            cmd.addAll(List.of("--unixsocket", socket.toString(), "--unixsocketperm", "700"));
        }
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    /**
     * Waits until the server on our port is our process (its INFO process_id matches), so a foreign
     * server on the same port is never mistaken for ours.
     */
    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = tail(log);
                String message =
                        describe() + " exited with " + process.exitValue() + " at start: " + output;
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
                describe() + " did not answer within " + startTimeout + ": " + tail(log));
    }

    private boolean servedByOurProcess() {
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder().timeoutMillis(500).password(password);
        try (Jedis jedis = new Jedis(HOST, port, config.build())) {
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("redis-server-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for redis-server", e);
        }
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover empty temp directory harms no one.
        }
        workDir = null;
    }

    private void removeShutdownHook() {
        if (shutdownHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        shutdownHook = null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    /** Options for a new server; {@link #start()} launches it. */
    public static final class Builder {
        private int port;
        private String password;
        private boolean embeddedBinary;
        private Duration startTimeout = Duration.ofSeconds(15);
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {}

        /** The port to bind; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Starts the server with {@code --requirepass}. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Uses the binary from the embedded-redis jar even when redis-server is installed (to test
         * the fallback).
         */
        public Builder embeddedBinary(boolean embeddedBinary) {
            this.embeddedBinary = embeddedBinary;
            return this;
        }

        /** How long to wait for the first PONG; default 15 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** More {@code redis-server} arguments, such as {@code "--databases", "4"}. */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /**
         * Launches the server and waits until it answers.
         *
         * @throws IllegalStateException with the server's output when it cannot start
         */
        public RedisServerProcess start() {
            RedisServerBinary binary = RedisServerBinary.locate(embeddedBinary);
            RedisServerProcess server = new RedisServerProcess(this, binary);
            try {
                synchronized (server) {
                    server.launch();
                }
            } catch (RuntimeException e) {
                binary.deleteIfExtracted();
                throw e;
            }
            return server;
        }
    }

    private static final class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
