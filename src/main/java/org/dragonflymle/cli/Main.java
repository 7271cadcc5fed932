package org.dragonflymle.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;
import org.dragonflymle.lua.RetainedMemoryExceeded;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.metrics.StatsOptions;

/**
 * Entry point of {@code dragonfly-mle}, for the launcher script (local mode, an embedded
 * MiniCluster) and for {@code flink run} (cluster mode) alike: the same jar and arguments.
 *
 * <p>Exit status: 0 when the job finished, 2 for a bad command line, a bad config.lua or a script
 * whose setup failed (the message names the problem), 1 for any other failure.
 */
public final class Main {

    /**
     * The system property bin/dragonfly-mle sets on its JVM (lib/java-local.args), naming the
     * launcher: such a JVM is never a cluster's JobManager.
     */
    static final String LAUNCHER_PROPERTY = "dragonfly.launcher";

    private static final String LAUNCHER = "bin/dragonfly-mle";

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("test")) {
            System.exit(
                    TestCommand.run(
                            java.util.Arrays.copyOfRange(args, 1, args.length),
                            System.out,
                            System.err));
        }
        if (args.length > 0 && args[0].equals("reload")) {
            System.exit(
                    ReloadCommand.run(
                            java.util.Arrays.copyOfRange(args, 1, args.length), System.err));
        }
        int status = run(args, System.err);
        if (inJobManager()) {
            // Application mode runs this method in the JobManager (docker standalone-job, the
            // Kubernetes operator): System.exit would end that JVM while the job's last reports
            // (a stop-with-savepoint's path) are still on their way. Return, or fail the program.
            if (status != 0) {
                throw new IllegalStateException("dragonfly-mle ended with status " + status);
            }
            return;
        }
        System.exit(status);
    }

    /**
     * Whether this runs inside a cluster's JobManager (application mode, whose executor is
     * "embedded"), not in the launcher's own JVM or a {@code flink run} client.
     */
    static boolean inJobManager() {
        if (LAUNCHER.equals(System.getProperty(LAUNCHER_PROPERTY))) {
            // bin/dragonfly-mle started this JVM: no Flink class needs to load (and set up a
            // default logging configuration) before the engine's own logging is configured
            return false;
        }
        return "embedded"
                .equals(
                        StreamExecutionEnvironment.getExecutionEnvironment()
                                .getConfiguration()
                                .get(DeploymentOptions.TARGET));
    }

    /** Runs the job described by {@code args}; returns the exit status. */
    public static int run(String[] args, PrintStream err) {
        return run(args, System.out, err);
    }

    /** As {@link #run(String[], PrintStream)}; {@code --explain} prints to {@code out}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LaunchOptions options;
        OperatorFlags ux;
        try {
            OperatorFlags.Split split = OperatorFlags.extract(args);
            ux = split.flags();
            options = LaunchOptions.parse(split.rest());
        } catch (UsageException e) {
            if (!e.getMessage().isEmpty()) {
                err.println("dragonfly-mle: " + e.getMessage());
            }
            err.print(LaunchOptions.USAGE);
            err.print(OperatorFlags.USAGE);
            return 2;
        }
        try {
            Files.createDirectories(options.logDir());
        } catch (IOException e) {
            err.println(
                    "dragonfly-mle: cannot create log directory " + options.logDir() + ": " + e);
            return 2;
        }
        if (!inJobManager()) {
            // the JobManager of application mode keeps the cluster's own log configuration
            EngineLogging.configure(options.logDir(), options.verbose());
        }
        LogDirReserve reserve = LogDirReserve.create(options.logDir());

        Configuration conf = flinkConfiguration(options);
        if (!conf.contains(StatsOptions.INTERVAL)) {
            conf.set(StatsOptions.INTERVAL, Duration.ofSeconds(ux.statsIntervalSeconds()));
        }
        boolean local =
                StreamExecutionEnvironment.getExecutionEnvironment(conf)
                        instanceof LocalStreamEnvironment;
        // operator experience: the local dashboard on 127.0.0.1, accumulators every second
        LocalDashboard dashboard =
                local && ux.explain() == null ? LocalDashboard.configure(conf) : null;
        if (ux.metricsPort() > 0 && ux.explain() == null) {
            if (local) {
                String reporter = "metrics.reporter." + LoopbackPrometheusReporter.NAME + ".";
                conf.setString(
                        reporter + "factory.class",
                        LoopbackPrometheusReporter.Factory.class.getName());
                conf.setString(reporter + "port", Integer.toString(ux.metricsPort()));
                err.println(
                        "dragonfly-mle: Prometheus metrics http://127.0.0.1:"
                                + ux.metricsPort()
                                + "/metrics");
            } else {
                err.println(
                        "dragonfly-mle: --metrics-port is for local mode; a cluster's reporters"
                                + " are set in its config.yaml (flink-conf/config.yaml)");
            }
        }
        if (dashboard != null) {
            LocalModeOptions.sizeForOneSensor(conf);
        }
        int redisCpu;
        try {
            redisCpu = LocalModeOptions.redisCpu(conf);
        } catch (UsageException e) {
            err.println("dragonfly-mle: " + e.getMessage());
            return 2;
        }
        // The MiniCluster's services start on a thread of their own while config.lua is read,
        // Redis starts and the job is built (LocalCluster#startAhead): one slot per CPU, and a
        // larger cluster in its place for a pipeline wider than that.
        LocalCluster cluster = local && ux.explain() == null ? new LocalCluster(conf) : null;
        if (cluster != null) {
            cluster.startAhead(Runtime.getRuntime().availableProcessors());
        }

        PipelineSpec spec;
        try {
            spec = ConfigLoader.load(options.root(), options.logDir());
            Recovery.configure(conf, spec, options, err);
        } catch (ConfigException | UsageException e) {
            closeQuietly(cluster);
            err.println("dragonfly-mle: " + e.getMessage());
            return 2;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (dashboard != null) {
            // the REST API can cancel the job: no script reaches it, whatever config.lua allows
            spec = spec.withCapabilities(spec.capabilities().reserving(dashboard.ports()));
        }
        env.setParallelism(maxParallelism(spec));
        // Started before the job is built: a server the launcher starts is reached through its
        // Unix socket, and the operators carry the Redis address they are built with.
        LocalRedis redis;
        try {
            redis =
                    local && ux.explain() == null
                            ? LocalRedis.ensure(
                                    spec.redis(), spec.capabilities().redisAdmin(), redisCpu, err)
                            : LocalRedis.none();
        } catch (RuntimeException | Error e) {
            closeQuietly(cluster);
            throw e;
        }
        if (local && ux.explain() == null) {
            HangupHandler.install(err);
        }
        PipelineSpec loaded = spec;
        spec = spec.withRedis(redis.reachThrough(spec.redis()));
        ShadowDatabases shadowDbs = new ShadowDatabases(err);
        try {
            spec = shadowDbs.choose(spec, ux.explain() == null);
        } catch (ConfigException e) {
            closeQuietly(cluster);
            redis.close();
            err.println("dragonfly-mle: " + e.getMessage());
            return 2;
        }
        JobGenerator generator = new JobGenerator(spec, new Connectors(spec), options.confineDir());
        try {
            generator.generate(env);
        } catch (ConfigException e) {
            closeQuietly(cluster);
            redis.close();
            err.println("dragonfly-mle: " + e.getMessage());
            return 2;
        }
        if (local && ux.explain() == null) {
            SocketFiles.removeOnExit(spec);
        }
        if (ux.explain() != null) {
            new Explain(spec, generator.allOutputs(), env.getStreamGraph(false))
                    .print(ux.explain(), out);
            return 0;
        }

        String jobName = "dragonfly-mle " + options.root();
        long heartbeat = conf.get(HeartbeatManagerOptions.HEARTBEAT_INTERVAL).toMillis();
        StreamExecutionEnvironment job = env;
        try (redis;
                LocalCluster owned = cluster;
                ExplanationServer www =
                        ExplanationServer.start(
                                spec, ux, dashboard == null ? () -> null : dashboard::url, err)) {
            StopOnSignal stop = local ? StopOnSignal.install(options.savepointDir(), err) : null;
            JobWatch watch = new JobWatch(spec, ux, dashboard, err);
            JobWatch.Ending ending;
            if (local) {
                ReloadRequests requests = new ReloadRequests();
                try (ControlSocket control = ControlSocket.open(options.logDir(), requests, err)) {
                    LocalJobs jobs = new LocalJobs(conf, options, redis, cluster, shadowDbs);
                    if (dashboard != null) {
                        dashboard.knownAt(cluster::restAddress);
                    }
                    ReloadSignal.install(
                            requests, System.getenv(ReloadSignal.SR_SIGNAL_VARIABLE), err);
                    ending =
                            watch.execute(
                                    () -> jobs.submitFirst(job, jobName),
                                    heartbeat,
                                    stop,
                                    new JobWatch.Reloads(
                                            requests,
                                            new Reloader(jobs, options, jobName, loaded)));
                }
            } else {
                ending = watch.execute(() -> job.executeAsync(jobName), heartbeat, null, null);
            }
            if (stop != null && stop.savepoint() != null) {
                err.println(
                        "dragonfly-mle: stopped with savepoint "
                                + stop.savepoint()
                                + " (continue with --from-savepoint "
                                + stop.savepoint()
                                + ")");
            } else if (ending.stoppedBy() != null) {
                err.println(
                        "dragonfly-mle: stopped by "
                                + ending.stoppedBy()
                                + "; checkpoints are kept in "
                                + Recovery.checkpointDir(spec)
                                + " (continue with --resume)");
            }
            return 0;
        } catch (JobWatch.LogDirFullException e) {
            reserve.release();
            org.slf4j.LoggerFactory.getLogger(EngineLogging.FILE_ONLY)
                    .error("LOGDIR {}", e.getMessage());
            err.println("dragonfly-mle: LOGDIR " + e.getMessage());
            return 1;
        } catch (JobWatch.StuckCallException e) {
            org.slf4j.LoggerFactory.getLogger(EngineLogging.FILE_ONLY).error(e.getMessage());
            err.println("dragonfly-mle: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            ScriptSetupException setup = findCause(e, ScriptSetupException.class);
            if (setup != null) {
                err.println("dragonfly-mle: " + setup.getMessage());
                return 2;
            }
            ConfigException config = findCause(e, ConfigException.class);
            if (config != null) {
                err.println("dragonfly-mle: " + config.getMessage());
                return 2;
            }
            RetainedMemoryExceeded retained = findCause(e, RetainedMemoryExceeded.class);
            if (retained != null) {
                err.println(
                        "dragonfly-mle: "
                                + retained.getMessage()
                                + "; the job stopped (checkpoints kept: --resume continues)");
                return 1;
            }
            if (Connectors.isFileSystemFull(e)) {
                // the engine's log is on that file system too: its reserve makes room for why
                reserve.release();
                String line = fullMessage(e, options.logDir());
                org.slf4j.LoggerFactory.getLogger(EngineLogging.FILE_ONLY).error(line, e);
                err.println("dragonfly-mle: " + line);
                return 1;
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("dragonfly-mle: job failed: " + root);
            org.slf4j.LoggerFactory.getLogger(Main.class).error("job failed", e);
            return 1;
        }
    }

    /** How long a partly filled network buffer may wait before it is sent on. */
    static final Duration BUFFER_TIMEOUT = Duration.ofMillis(5);

    /** The size of the buffers that carry events between tasks in local mode. */
    static final MemorySize NETWORK_BUFFER_SIZE = MemorySize.parse("128kb");

    static Configuration flinkConfiguration(LaunchOptions options) {
        Configuration conf = new Configuration();
        // events are always Event with its own serializer: any Kryo fallback is a bug
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // a bounded replay still runs as a stream: timers fire, stages keep their order
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        // An IDS alert should leave within milliseconds: Flink's 100 ms default would hold a
        // quiet stream's events that long between operators. A busy stream fills its buffers
        // sooner than this anyway, so throughput does not pay for it.
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, BUFFER_TIMEOUT);
        // Local mode: each buffer handed from one task's thread to the next may have to wake a
        // CPU that has halted, and 128 KiB holds 170 events where Flink's 32 KiB holds 44
        // (measured in docs/performance.md). LocalModeOptions sizes local mode's network memory
        // in these buffers. On a cluster the TaskManagers' own setting counts.
        conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, NETWORK_BUFFER_SIZE);
        for (String option : options.flinkOptions()) {
            String kv = option.substring(2);
            int eq = kv.indexOf('=');
            conf.setString(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return conf;
    }

    static int maxParallelism(PipelineSpec spec) {
        int max = 1;
        for (StageSpec s : spec.inputs()) {
            max = Math.max(max, s.parallelism());
        }
        for (StageSpec s : spec.analyzers()) {
            max = Math.max(max, s.parallelism());
        }
        return max;
    }

    /**
     * One line for a full file system: {@code LOGDIR file system full: ...} when it is the log
     * directory's, with how to go on.
     */
    static String fullMessage(Throwable e, java.nio.file.Path logDir) {
        String out = Connectors.failedOutputMessage(e);
        String what = out != null ? out : "file system full: " + rootMessage(e);
        boolean logDirFull =
                out == null || what.contains(logDir.toAbsolutePath().normalize().toString());
        return (logDirFull ? "LOGDIR " : "")
                + what
                + "; the job stopped (exit 1): make room, then run again with --resume";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // the run is failing for a reason of its own, reported by the caller
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
