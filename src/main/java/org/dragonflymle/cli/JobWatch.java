package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;

/**
 * Runs the job and watches it from the launcher: submits it ({@code executeAsync}, the same in
 * local mode and attached cluster mode), prints the dashboard's address, polls the job's
 * accumulators through the {@link JobClient} about once a second for the {@link ProgressReporter},
 * and prints the {@link RunSummary} when the job finishes. A failed job throws as {@code execute}
 * would, so the caller reports it.
 */
final class JobWatch {

    private static final long POLL_MILLIS = 1000;

    /** Polls during which the dashboard is looked for before giving up on printing it. */
    private static final int MAX_LOCATE_TRIES = 30;

    private final PipelineSpec spec;
    private final OperatorFlags flags;
    private final LocalDashboard dashboard;
    private final PrintStream err;

    /**
     * @param dashboard the local dashboard, or null in cluster mode
     */
    JobWatch(PipelineSpec spec, OperatorFlags flags, LocalDashboard dashboard, PrintStream err) {
        this.spec = spec;
        this.flags = flags;
        this.dashboard = dashboard;
        this.err = err;
    }

    /**
     * @param onSubmit called with the running job before it is watched (e.g. to stop it with a
     *     savepoint on a signal)
     */
    JobExecutionResult execute(
            StreamExecutionEnvironment env, String jobName, Consumer<JobClient> onSubmit)
            throws Exception {
        long start = System.currentTimeMillis();
        JobClient client = env.executeAsync(jobName);
        onSubmit.accept(client);
        ProgressReporter progress = new ProgressReporter(spec, flags.progress(), err, start);
        int locateTries = dashboard == null ? 0 : MAX_LOCATE_TRIES;
        if (locateTries > 0 && announceDashboard(client, progress)) {
            locateTries = 0;
        }
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        JobExecutionResult result;
        try {
            while (true) {
                try {
                    result = done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    if (locateTries > 0
                            && (announceDashboard(client, progress) || --locateTries == 0)) {
                        locateTries = 0;
                    }
                    Map<String, Object> acc = accumulators(client);
                    if (acc != null) {
                        progress.update(acc, System.currentTimeMillis());
                    }
                }
            }
        } finally {
            progress.end();
        }
        if (!flags.progress().equals("off")) {
            RunSummary.print(
                    spec,
                    result.getAllAccumulatorResults(),
                    System.currentTimeMillis() - start,
                    err);
        }
        return result;
    }

    private boolean announceDashboard(JobClient client, ProgressReporter progress) {
        if (!dashboard.locate(client.getJobID())) {
            return false;
        }
        progress.end();
        err.println(
                "dragonfly-mle: Flink dashboard "
                        + dashboard.url()
                        + " (this job: "
                        + dashboard.jobUrl(client.getJobID())
                        + ")");
        return true;
    }

    /** The running job's accumulators, or null when they cannot be had just now. */
    private static Map<String, Object> accumulators(JobClient client) {
        try {
            return client.getAccumulators().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }
}
