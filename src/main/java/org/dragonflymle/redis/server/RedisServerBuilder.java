package org.dragonflymle.redis.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Options for a new {@link RedisServerProcess}; {@link #start()} launches it. */
public final class RedisServerBuilder {
    private int port;
    private String password;
    private boolean embeddedBinary;
    private Duration startTimeout = Duration.ofSeconds(15);
    private final List<String> extraArgs = new ArrayList<>();
    private int cpu = -1;
    private IntFunction<List<String>> aclRules;
    private boolean dieWithParent;
    private Path configFile;

    RedisServerBuilder() {}

    /** The port to bind; 0 (the default) picks a free one. */
    public RedisServerBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return this;
    }

    /** Starts the server with {@code --requirepass}. */
    public RedisServerBuilder password(String password) {
        this.password = password;
        return this;
    }

    /**
     * Uses the binary from the embedded-redis jar even when redis-server is installed (to test the
     * fallback).
     */
    public RedisServerBuilder embeddedBinary(boolean embeddedBinary) {
        this.embeddedBinary = embeddedBinary;
        return this;
    }

    /** How long to wait for the first PONG; default 15 s. */
    public RedisServerBuilder startTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        return this;
    }

    /**
     * Runs the server on CPU {@code cpu} only (-1, the default: wherever the scheduler puts it). A
     * local-mode choice of the launcher ({@code LocalModeOptions}); the engine's own threads are
     * never pinned.
     */
    public RedisServerBuilder cpu(int cpu) {
        if (cpu < -1) {
            throw new IllegalArgumentException("cpu must be >= 0, or -1 for none: " + cpu);
        }
        this.cpu = cpu;
        return this;
    }

    /**
     * Gives the default user (the one clients connect as) these ACL rules instead of all
     * permissions, e.g. {@code Capabilities.aclRules}; they bind the commands Redis scripts call as
     * well.
     */
    public RedisServerBuilder acl(List<String> rules) {
        List<String> copy = List.copyOf(rules);
        return acl(version -> copy);
    }

    /**
     * Gives the default user the ACL rules {@code rulesForVersion} returns for the version of the
     * binary that runs (major × 100 + minor; see {@link RedisServerBinary#version()}): ACL syntax
     * changed in Redis 7. Null rules mean none (a server without ACL users).
     */
    public RedisServerBuilder acl(IntFunction<List<String>> rulesForVersion) {
        this.aclRules = rulesForVersion;
        return this;
    }

    /**
     * Makes the server die with the process that starts it, also when that process is killed
     * ({@code setpriv --pdeathsig KILL}; the signal is sent when the starting thread ends, so start
     * it from a thread that lives as long as the server should).
     */
    public RedisServerBuilder dieWithParent(boolean dieWithParent) {
        this.dieWithParent = dieWithParent;
        return this;
    }

    /** More {@code redis-server} arguments, such as {@code "--databases", "4"}. */
    public RedisServerBuilder extraArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /**
     * A configuration file read before the command-line options (which win over it). A Sentinel
     * needs one ({@code extraArgs("--sentinel")}): it records what it learns there. The file is the
     * caller's; it is not deleted.
     */
    public RedisServerBuilder configFile(Path configFile) {
        this.configFile = configFile;
        return this;
    }

    /**
     * Launches the server and waits until it answers.
     *
     * @throws IllegalStateException with the server's output when it cannot start
     */
    public RedisServerProcess start() {
        RedisServerBinary binary = RedisServerBinary.locate(embeddedBinary);
        List<String> rules;
        try {
            rules = aclRules == null ? null : aclRules.apply(binary.version());
        } catch (RuntimeException e) {
            binary.deleteIfExtracted();
            throw e;
        }
        return RedisServerProcess.start(
                binary,
                port,
                password,
                cpu,
                startTimeout,
                extraArgs,
                rules,
                dieWithParent,
                configFile);
    }
}
