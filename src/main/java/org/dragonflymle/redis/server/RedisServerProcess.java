package org.dragonflymle.redis.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.os.Executables;

/**
 * A real {@code redis-server} child process bound to 127.0.0.1, for local runs that have no Redis
 * of their own and for tests.
 *
 * <p>What is promised: the server keeps nothing on disk ({@code --save "" --appendonly no}), works
 * in its own temporary directory, runs on the one CPU {@link RedisServerBuilder#cpu} names if any
 * (set by redis-server itself, {@code server_cpulist}), and answers PING when {@link
 * RedisServerBuilder#start()} or {@link #start()} returns (or they throw with the server's own log
 * lines). {@link #stop()} ends the process and deletes its directory; {@link #start()} brings it
 * back on the same port, which is how tests simulate a Redis outage. {@link #close()} also deletes
 * a binary extracted from the embedded-redis jar. A JVM shutdown hook ends the process if the owner
 * never closes it. Methods are synchronized; one instance may be stopped from one thread while
 * another thread talks to the server.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";

    /**
     * Runs the server in a session of its own, as a service manager would: Linux then schedules it
     * as its own group (autogroup) instead of as one more thread of the engine's session, and a
     * Redis that answers every event's round trip is not queued behind the engine's busy threads
     * (measured in docs/performance.md). The shutdown hook and {@link #stop()} still end it; Ctrl-C
     * in a terminal reaches only the engine, which then stops it. {@code setsid} replaces itself
     * with the server, so the process this class holds is redis-server's own.
     */
    private static final Path SETSID = Executables.find("setsid");

    /** Sets the parent-death signal (util-linux); without it only the shutdown hook ends Redis. */
    private static final Path SETPRIV = Executables.find("setpriv");

    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final RedisServerBinary binary;
    private final String password;
    private final List<String> extraArgs;
    private final List<String> aclRules;
    private final boolean dieWithParent;
    private final Path configFile;
    private final Duration startTimeout;
    private final int cpu;
    private int port;

    private Process process;
    private Path workDir;

    private Thread shutdownHook;

    private RedisServerProcess(
            RedisServerBinary binary,
            int port,
            String password,
            int cpu,
            Duration startTimeout,
            List<String> extraArgs,
            List<String> aclRules,
            boolean dieWithParent,
            Path configFile) {
        this.binary = binary;
        this.password = password;
        this.extraArgs = List.copyOf(extraArgs);
        this.configFile = configFile;
        this.startTimeout = startTimeout;
        this.cpu = cpu;
        this.port = port;
        this.aclRules = aclRules == null ? null : List.copyOf(aclRules);
        this.dieWithParent = dieWithParent;
    }

    public static RedisServerBuilder builder() {
        return new RedisServerBuilder();
    }

    /**
     * Launches a server as the builder describes and waits until it answers.
     *
     * @throws IllegalStateException with the server's output when it cannot start
     */
    static RedisServerProcess start(
            RedisServerBinary binary,
            int port,
            String password,
            int cpu,
            Duration startTimeout,
            List<String> extraArgs,
            List<String> aclRules,
            boolean dieWithParent,
            Path configFile) {
        RedisServerProcess server =
                new RedisServerProcess(
                        binary,
                        port,
                        password,
                        cpu,
                        startTimeout,
                        extraArgs,
                        aclRules,
                        dieWithParent,
                        configFile);
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

    /** Starts a server on a free port with the installed (or else embedded) binary. */
    public static RedisServerProcess startOnFreePort() {
        return builder().start();
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
            } catch (RedisReadiness.PortInUseException e) {
                if (!pickPort || attempt >= FREE_PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
    }

    private void launchOnce() {
        workDir = RedisWorkDirs.create();
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
        RedisWorkDirs.writeOwner(workDir, process.pid());
        Process started = process;
        Path dir = workDir;
        shutdownHook =
                new Thread(
                        () -> {
                            // a SIGTERM'd engine leaves neither the server nor its directory
                            started.destroyForcibly();
                            try {
                                started.waitFor(2, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            RedisWorkDirs.delete(dir);
                        },
                        "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            new RedisReadiness(process, describe(), port, password).await(log, startTimeout);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (dieWithParent && SETPRIV != null) {
            // PR_SET_PDEATHSIG survives the execs that follow: killed with the JVM, even by SIGKILL
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        if (SETSID != null) {
            cmd.add(SETSID.toString());
        }
        cmd.add(binary.path().toString());
        if (configFile != null) {
            cmd.add(configFile.toString()); // redis-server reads a config file only as argument 1
        }
        if (cpu >= 0) {
            // redis-server pins its own main and I/O threads: no helper program, no JVM thread
            cmd.addAll(List.of("--server_cpulist", Integer.toString(cpu)));
        }
        cmd.addAll(List.of("--bind", HOST, "--port", Integer.toString(port)));
        cmd.addAll(List.of("--save", "", "--appendonly", "no", "--daemonize", "no"));
        cmd.addAll(List.of("--dir", workDir.toString(), "--logfile", ""));
        Path socket = socketPath();
        if (socket != null) {
            // Owner only: the socket skips TCP's bind address, so no other user may reach it.
            cmd.addAll(List.of("--unixsocket", socket.toString(), "--unixsocketperm", "700"));
        }
        if (aclRules != null) {
            // the user scripts connect as (the default one): no administration, see
            // AdminCommandGuard
            cmd.addAll(
                    List.of(
                            "--user",
                            "default",
                            "on",
                            password != null ? ">" + password : "nopass"));
            cmd.addAll(aclRules);
        } else if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        RedisWorkDirs.delete(workDir);
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

    /**
     * Removes what servers started by JVMs that no longer run left behind in the temporary
     * directory: the server process itself, if it still runs (its starter was killed where the
     * parent-death signal was not available), and its directory with the socket. Servers of live
     * JVMs (other runs, tests) are left alone. Returns how many were removed.
     */
    public static int removeStale() {
        return RedisWorkDirs.removeStale();
    }
}
