package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;

/**
 * How a local run turns a pipeline into a running job, the first time and at every reload: the
 * Redis address scripts use is the launcher's redis-server when it started one, the graph is the
 * job generator's, the checkpoints those of the pipeline, and the job runs in the run's {@link
 * LocalCluster}.
 */
final class LocalJobs {

    /** How long a new job may take until every task runs (its scripts' setup() included). */
    static final long START_TIMEOUT_MILLIS = 120_000;

    private final Configuration base;
    private final LaunchOptions options;
    private final LocalRedis redis;
    private final LocalCluster cluster;
    private final ShadowDatabases shadowDbs;

    /**
     * @param base the run's Flink configuration, as the first job was configured
     */
    LocalJobs(
            Configuration base,
            LaunchOptions options,
            LocalRedis redis,
            LocalCluster cluster,
            ShadowDatabases shadowDbs) {
        this.base = new Configuration(base);
        this.shadowDbs = shadowDbs;
        this.options = options;
        this.redis = redis;
        this.cluster = cluster;
    }

    /**
     * {@code loaded} as the job runs it: scripts reach the launcher's redis-server, if any; each
     * shadow has its Redis database (the one it had before, if it was running).
     *
     * @throws ConfigException when a shadow gets no database
     */
    PipelineSpec running(PipelineSpec loaded) throws ConfigException {
        return shadowDbs.choose(loaded.withRedis(redis.reachThrough(loaded.redis())), true);
    }

    /**
     * The job of {@code running} (see {@link #running}), ready to submit.
     *
     * @throws ConfigException when the graph cannot be built (a URI no connector serves)
     */
    StreamExecutionEnvironment build(PipelineSpec running) throws ConfigException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(base);
        env.setParallelism(Main.maxParallelism(running));
        new JobGenerator(running, new Connectors(running), options.confineDir()).generate(env);
        return env;
    }

    /** Submits the run's first job, with the run's own configuration (--resume and all). */
    JobClient submitFirst(StreamExecutionEnvironment env, String name) throws Exception {
        return cluster.submit(env, name, base);
    }

    /**
     * Submits the job of {@code running} built in {@code env}, starting from {@code savepoint}; the
     * state of operators that no longer exist is dropped.
     */
    JobClient submitFrom(
            StreamExecutionEnvironment env,
            PipelineSpec running,
            String name,
            String savepoint,
            PrintStream terminal)
            throws Exception {
        Configuration conf = new Configuration(base);
        LaunchOptions from =
                new LaunchOptions(
                        options.root(),
                        options.logDir(),
                        options.verbose(),
                        options.confineDir(),
                        options.savepointDir(),
                        savepoint,
                        LaunchOptions.Resume.NO,
                        options.flinkOptions());
        Recovery.configure(conf, running, from, terminal);
        conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        return cluster.submit(env, name, conf);
    }

    /**
     * Waits until every task of {@code job} runs: its state is restored and every script's setup()
     * has returned.
     *
     * @throws Exception why it did not start: the job's failure, or a timeout
     */
    void awaitRunning(JobClient job) throws Exception {
        CompletableFuture<?> result = job.getJobExecutionResult();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (true) {
            if (result.isDone()) {
                result.get(); // a failure throws; a job that already finished (a replay) started
                return;
            }
            if (cluster.allTasksRunning(job.getJobID())) {
                return;
            }
            String failure = cluster.failure(job.getJobID());
            if (failure != null) {
                throw new IllegalStateException(firstLine(failure));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "its tasks were not running after " + START_TIMEOUT_MILLIS / 1000 + " s");
            }
            try {
                result.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillStarting) {
                // poll again
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
