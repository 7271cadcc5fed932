package org.dragonflymle.cli;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.dragonflymle.connector.HeldSockets;

/**
 * The Flink MiniCluster of a local run, owned by the launcher for the whole run rather than one per
 * job (as {@code executeAsync} does): a reload stops the job with a savepoint and starts the new
 * graph in the same cluster, the same JVM, next to the same redis-server and the same held sockets.
 *
 * <p>A job is submitted the way Flink's local executor submits one (the configuration's savepoint
 * settings applied, user objects serialized), and watched through a {@link MiniClusterJobClient}
 * that leaves the cluster up when the job ends. The cluster has as many slots as the largest
 * parallelism of a job submitted so far; a job that needs more gets a new, larger cluster in the
 * same process (its dashboard may then move to another port).
 *
 * <p>The first cluster is started ahead ({@link #startAhead}), on a thread of its own, while the
 * launcher reads config.lua, starts Redis and builds the first job: its services (Pekko RPC, the
 * blob server, the REST endpoint, the TaskManager) take as long as all of that together, and
 * neither needs the other until the job is submitted. Started before config.lua says how wide the
 * pipeline is, it has a slot per CPU; a wider pipeline gets a larger cluster in its place.
 *
 * <p>Not thread-safe: used from the launcher's main thread.
 */
final class LocalCluster implements AutoCloseable {

    private final Configuration conf;
    private MiniCluster cluster;
    private int slots;
    // the cluster startAhead is starting, until a submission (or close) takes it
    private AheadStart starting;

    /**
     * @param conf the run's Flink configuration (dashboard, metrics, memory); each job's own
     *     settings (checkpoints, the savepoint it starts from) come with its submission
     */
    LocalCluster(Configuration conf) {
        this.conf = new Configuration(conf);
        if (!this.conf.contains(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)) {
            // the slot manager waits this long to gather the requirements of many jobs and
            // TaskManagers before it matches them; a local run has one of each, known at once
            this.conf.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ZERO);
        }
    }

    /**
     * Starts the cluster for a job of {@code parallelism} on a thread of its own and returns at
     * once; the first {@link #submit} waits for it and rethrows why it could not start.
     */
    void startAhead(int parallelism) {
        if (cluster != null || starting != null) {
            return;
        }
        int needed = slotsFor(parallelism);
        starting = new AheadStart(() -> start(needed));
        Thread t = new Thread(starting, "dragonfly: start the MiniCluster");
        t.setDaemon(true);
        t.start();
        slots = needed;
    }

    /**
     * Submits the job built in {@code env}, once it is initialised (its operators' state restored,
     * or the error that prevented it thrown).
     *
     * @param jobConf the job's configuration: {@code env}'s, with the savepoint it starts from
     */
    JobClient submit(StreamExecutionEnvironment env, String name, Configuration jobConf)
            throws Exception {
        Configuration effective = new Configuration(conf);
        effective.addAll(jobConf);
        effective.set(DeploymentOptions.TARGET, "local");
        effective.set(DeploymentOptions.ATTACHED, true);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        graph = PipelineExecutorUtils.getStreamGraph(graph, effective);
        graph.serializeUserDefinedInstances();
        ensureSlots(Math.max(1, env.getParallelism()));
        ClassLoader classes = Thread.currentThread().getContextClassLoader();
        MiniCluster running = cluster;
        JobID job = running.submitJob(graph).get().getJobID();
        ClientUtils.waitUntilJobInitializationFinished(
                () -> running.getJobStatus(job).get(),
                () -> running.requestJobResult(job).get(),
                classes);
        return new MiniClusterJobClient(
                job, running, classes, MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    /** Whether every task of {@code job} runs (or has finished) and none has failed so far. */
    boolean allTasksRunning(JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
        if (graph.getFailureInfo() != null) {
            return false;
        }
        for (AccessExecutionVertex task : graph.getAllExecutionVertices()) {
            ExecutionState state = task.getExecutionState();
            if (state != ExecutionState.RUNNING && state != ExecutionState.FINISHED) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code job} failed or restarted so far, or null. */
    String failure(JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
        return graph.getFailureInfo() == null
                ? null
                : graph.getFailureInfo().getExceptionAsString();
    }

    /** The dashboard's address (Flink's REST endpoint), or null before the first job. */
    URI restAddress() {
        try {
            return cluster == null ? null : cluster.getRestAddress().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A cluster starting ahead. Abandoned (the run ended before its first job), it closes the
     * cluster itself once started, so the launcher does not wait for a cluster it will not use.
     */
    private static final class AheadStart extends FutureTask<MiniCluster> {
        private final AtomicBoolean abandoned = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        AheadStart(Callable<MiniCluster> start) {
            super(start);
        }

        void abandon() {
            abandoned.set(true);
            if (isDone()) {
                closeStarted();
            }
        }

        @Override
        protected void done() {
            if (abandoned.get()) {
                closeStarted();
            }
        }

        private void closeStarted() {
            if (!closed.compareAndSet(false, true) || isCancelled()) {
                return;
            }
            try {
                get().close();
            } catch (Exception notStartedOrFailedToClose) {
                // nothing more to do for a cluster nobody uses
            }
        }
    }

    private int slotsFor(int parallelism) {
        return conf.getOptional(TaskManagerOptions.NUM_TASK_SLOTS).orElse(parallelism);
    }

    /** The cluster started ahead, once it runs; null when none was. */
    private MiniCluster takeStarted() throws Exception {
        AheadStart f = starting;
        if (f == null) {
            return null;
        }
        starting = null;
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void ensureSlots(int parallelism) throws Exception {
        if (starting != null) {
            cluster = takeStarted();
        }
        int needed = slotsFor(parallelism);
        if (cluster != null && slots >= needed) {
            return;
        }
        if (cluster != null) {
            cluster.close(); // too small for this job: a larger one in its place
        }
        cluster = start(needed);
        slots = needed;
    }

    private MiniCluster start(int needed) throws Exception {
        Configuration c = new Configuration(conf);
        if (!c.contains(RestOptions.BIND_PORT)) {
            c.set(RestOptions.BIND_PORT, "0");
        }
        int taskManagers = c.get(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS);
        MiniCluster created =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(c)
                                .setNumTaskManagers(taskManagers)
                                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                                .setNumSlotsPerTaskManager(
                                        Math.max(1, (needed + taskManagers - 1) / taskManagers))
                                .build());
        try {
            created.start();
        } catch (Exception | Error e) {
            created.close();
            throw e;
        }
        return created;
    }

    @Override
    public void close() throws Exception {
        if (starting != null) {
            starting.abandon(); // closed by its own thread once started; nobody waits for it
            starting = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        HeldSockets.releaseAll(); // kept for a job that did not start: no job will read them
    }
}
