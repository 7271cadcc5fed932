package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.dragonflymle.config.PipelineSpec;

/**
 * Runs the job and watches it from the launcher: submits it (in the run's own MiniCluster in local
 * mode, {@code executeAsync} to a cluster), prints the dashboard's address, polls the job's
 * accumulators through the {@link JobClient} about once a second for the {@link ProgressReporter},
 * and prints the {@link RunSummary} when the job finishes or a signal stops it ({@link
 * StopOnSignal}). A failed job throws as {@code execute} would, so the caller reports it.
 */
final class JobWatch {

    private static final long POLL_MILLIS = 1000;

    /** Polls during which the dashboard is looked for before giving up on printing it. */
    private static final int MAX_LOCATE_TRIES = 30;

    private PipelineSpec spec;
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

    /** Submits a job: the run's first. */
    @FunctionalInterface
    interface Submission {
        JobClient submit() throws Exception;
    }

    /**
     * A local run's reloads: the requests waiting and what carries them out.
     *
     * @param requests from the control socket and SIGUSR2
     * @param reloader switches the job
     */
    record Reloads(ReloadRequests requests, Reloader reloader) {}

    /**
     * Submits the job and watches it until it ends; in local mode, reloads replace the job on the
     * way, and the summary counts what every job of the run did.
     *
     * @param heartbeatMillis how often task managers report their accumulators
     * @param stop the local launcher's signal handling, or null (cluster mode)
     * @param reloads the local launcher's reloads, or null (cluster mode)
     */
    Ending execute(Submission first, long heartbeatMillis, StopOnSignal stop, Reloads reloads)
            throws Exception {
        long start = System.currentTimeMillis();
        JobClient client = first.submit();
        ProgressReporter progress = new ProgressReporter(spec, flags.progress(), err, start);
        int locateTries = dashboard == null ? 0 : MAX_LOCATE_TRIES;
        if (locateTries > 0 && announceDashboard(client, progress)) {
            locateTries = 0;
        }
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        Map<String, Object> last = Map.of();
        Map<String, Object> carried = Map.of();
        boolean stopping = false;
        JobExecutionResult result = null;
        try {
            while (true) {
                CompletableFuture<?> wake =
                        stopping || stop == null
                                ? done
                                : reloads == null
                                        ? CompletableFuture.anyOf(done, stop.requested())
                                        : CompletableFuture.anyOf(
                                                done,
                                                stop.requested(),
                                                reloads.requests().arrival());
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
                    if (reloads != null) {
                        reloads.requests().close("the engine is stopping");
                    }
                    progress.end();
                    if (stop.cancels()) {
                        // A cancelled job has no result to read its counts from: the summary
                        // shows those the task managers report with the next heartbeat, which
                        // hold everything done up to the signal.
                        Thread.sleep(heartbeatMillis);
                        Map<String, Object> acc = accumulators(client);
                        last = acc != null ? acc : last;
                    }
                    stop.stop(client);
                    continue;
                }
                ReloadRequests.Request request =
                        stopping || reloads == null ? null : reloads.requests().poll();
                if (request != null) {
                    progress.end();
                    Reloader.Outcome o = reloads.reloader().reload(client, request);
                    if (o.finished() != null) {
                        carried = Accumulators.plus(carried, o.finished());
                        last = Map.of();
                        spec = o.running();
                        progress = new ProgressReporter(spec, flags.progress(), err, start);
                    }
                    if (o.job() != client) {
                        client = o.job();
                        done = client.getJobExecutionResult();
                        if (dashboard != null && dashboard.locate(client.getJobID())) {
                            err.println(
                                    "dragonfly-mle: Flink dashboard, this job: "
                                            + dashboard.jobUrl(client.getJobID()));
                        }
                    }
                    continue;
                }
                Map<String, Object> acc = accumulators(client);
                if (acc != null) {
                    last = acc;
                    progress.update(Accumulators.plus(carried, acc), System.currentTimeMillis());
                    stopIfStuck(client, acc);
                }
                stopIfLogDirFull(client);
                if (locateTries > 0
                        && (announceDashboard(client, progress) || --locateTries == 0)) {
                    locateTries = 0;
                }
            }
        } finally {
            progress.end();
            if (reloads != null) {
                reloads.requests().close("the engine has stopped");
            }
        }
        if (!flags.progress().equals("off")) {
            RunSummary.print(
                    spec,
                    Accumulators.plus(
                            carried, result != null ? result.getAllAccumulatorResults() : last),
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

    /**
     * A script call that ran past its budget and could not be stopped holds its task's thread for
     * good: in this JVM nothing can restart that task, so the run ends here, with the stage named
     * (the engine's log has the details) and the checkpoints kept for {@code --resume}.
     */
    private void stopIfStuck(JobClient client, Map<String, Object> acc) throws StuckCallException {
        if (dashboard == null) {
            return; // a cluster restarts the task, or its TaskManager, itself
        }
        for (Map.Entry<String, Object> e : acc.entrySet()) {
            if (e.getKey().startsWith(org.dragonflymle.operator.ScriptOperator.STUCK_ACCUMULATOR)
                    && e.getValue() instanceof Number n
                    && n.longValue() > 0) {
                client.cancel();
                throw new StuckCallException(
                        e.getKey()
                                        .substring(
                                                org.dragonflymle.operator.ScriptOperator
                                                        .STUCK_ACCUMULATOR
                                                        .length())
                                + ": a call ran past its budget and could not be stopped (see"
                                + " dragonfly-mle.log); the engine stops, --resume continues from"
                                + " the last checkpoint");
            }
        }
    }

    /** LOGDIR counts as full with less than this free. */
    static final long FULL_BELOW_BYTES = 64 * 1024;

    private int fullPolls;

    /**
     * LOGDIR's file system full for three polls in a row: the outputs, the engine's own log and (by
     * default) the checkpoints are all there, and a job that keeps failing to write restarts for
     * ever without reading anything. The run stops with one line instead; the file outputs end on
     * whole lines, and {@code --resume} continues once there is room.
     */
    private void stopIfLogDirFull(JobClient client) throws LogDirFullException {
        if (dashboard == null) {
            return; // on a cluster the TaskManagers' disks are not this machine's
        }
        long free;
        try {
            free = java.nio.file.Files.getFileStore(spec.logDir()).getUsableSpace();
        } catch (java.io.IOException e) {
            return;
        }
        if (free >= FULL_BELOW_BYTES) {
            fullPolls = 0;
            return;
        }
        if (++fullPolls >= 3) {
            client.cancel();
            throw new LogDirFullException(
                    "file system full: "
                            + spec.logDir()
                            + " has "
                            + free
                            + " bytes free; the job stopped (exit 1): make room, then run again"
                            + " with --resume");
        }
    }

    /** The run ends because LOGDIR's file system is full. */
    static final class LogDirFullException extends Exception {
        LogDirFullException(String message) {
            super(message);
        }
    }

    /** The run ends because a script call is stuck; the message says which. */
    static final class StuckCallException extends Exception {
        StuckCallException(String message) {
            super(message);
        }
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
