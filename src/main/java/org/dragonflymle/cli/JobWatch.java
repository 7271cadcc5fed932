package org.dragonflymle.cli;

import static org.apache.flink.configuration.HeartbeatManagerOptions.HEARTBEAT_INTERVAL;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;

/**
 * Runs the job and watches it from the launcher: submits it ({@code executeAsync}, the same in
 * local mode and attached cluster mode), prints the dashboard's address, polls the job's
 * accumulators through the {@link JobClient} about once a second for the {@link ProgressReporter},
 * and prints the {@link RunSummary} when the job finishes or a signal stops it ({@link
 * StopOnSignal}). A failed job throws as {@code execute} would, so the caller reports it.
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
     * How a watched run ended.
     *
     * @param result the job's result, or null when a signal stopped it by cancelling it
     * @param stoppedBy the signal that stopped the run ({@code SIGTERM}, {@code SIGINT}), or null
     */
    record Ending(JobExecutionResult result, String stoppedBy) {}

    /**
     * Submits the job and watches it until it ends.
     *
     * @param stop the local launcher's signal handling, or null (cluster mode)
     */
    Ending execute(StreamExecutionEnvironment env, String jobName, StopOnSignal stop)
            throws Exception {
        long start = System.currentTimeMillis();
        JobClient client = env.executeAsync(jobName);
        ProgressReporter progress = new ProgressReporter(spec, flags.progress(), err, start);
        int locateTries = dashboard == null ? 0 : MAX_LOCATE_TRIES;
        if (locateTries > 0 && announceDashboard(client, progress)) {
            locateTries = 0;
        }
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        CompletableFuture<?> wake =
                stop == null ? done : CompletableFuture.anyOf(done, stop.requested());
        Map<String, Object> last = Map.of();
        boolean stopping = false;
        JobExecutionResult result = null;
        try {
            while (true) {
                try {
                    wake.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // poll below
                } catch (ExecutionException failed) {
                    // the job's own failure: done.get() below says it
                }
                if (done.isDone()) {
                    try {
                        result = done.get();
                    } catch (ExecutionException e) {
                        if (!stopping || !isCancellation(e)) {
                            throw e;
                        }
                    }
                    break;
                }
                if (!stopping && stop != null && stop.signal() != null) {
                    stopping = true;
                    wake = done;
                    progress.end();
                    if (stop.cancels()) {
                        // A cancelled job has no result to read its counts from: the summary
                        // shows those the task managers report with the next heartbeat, which
                        // hold everything done up to the signal.
                        Thread.sleep(env.getConfiguration().get(HEARTBEAT_INTERVAL).toMillis());
                        Map<String, Object> acc = accumulators(client);
                        last = acc != null ? acc : last;
                    }
                    stop.stop(client);
                    continue;
                }
                Map<String, Object> acc = accumulators(client);
                if (acc != null) {
                    last = acc;
                    progress.update(acc, System.currentTimeMillis());
                }
                if (locateTries > 0
                        && (announceDashboard(client, progress) || --locateTries == 0)) {
                    locateTries = 0;
                }
            }
        } finally {
            progress.end();
        }
        if (!flags.progress().equals("off")) {
            RunSummary.print(
                    spec,
                    result != null ? result.getAllAccumulatorResults() : last,
                    System.currentTimeMillis() - start,
                    stopping ? "stopped after" : "finished in",
                    err);
        }
        return new Ending(result, stopping ? stop.signal() : null);
    }

    private static boolean isCancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobCancellationException) {
                return true;
            }
        }
        return false;
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
