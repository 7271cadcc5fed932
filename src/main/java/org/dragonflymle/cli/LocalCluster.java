package org.dragonflymle.cli;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
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
 * <p>Not thread-safe: used from the launcher's main thread.
 */
final class LocalCluster implements AutoCloseable {

    private final Configuration conf;
    private MiniCluster cluster;
    private int slots;

    /**
     * @param conf the run's Flink configuration (dashboard, metrics, memory); each job's own
     *     settings (checkpoints, the savepoint it starts from) come with its submission
     */
    LocalCluster(Configuration conf) {
        this.conf = new Configuration(conf);
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

    private void ensureSlots(int parallelism) throws Exception {
        int needed = conf.getOptional(TaskManagerOptions.NUM_TASK_SLOTS).orElse(parallelism);
        if (cluster != null && slots >= needed) {
            return;
        }
        if (cluster != null) {
            cluster.close(); // too small for this job: a larger one in its place
        }
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
        created.start();
        cluster = created;
        slots = needed;
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        HeldSockets.releaseAll(); // kept for a job that did not start: no job will read them
    }
}
