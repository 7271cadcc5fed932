package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.HeldSockets;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.testing.SetupCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload of a local run (docs/running.md#reloading): load ROOT again, validate everything before
 * anything stops, then switch the job in the same MiniCluster and process.
 *
 * <ol>
 *   <li>config.lua is loaded and its graph built; setup() of every stage that changed runs against
 *       a throwaway redis-server ({@link SetupCheck}). Any problem refuses the reload with the
 *       message a start would print (status 2), and the running job goes on untouched.
 *   <li>The job stops with a savepoint (sources stop where they are; every operator's state, the
 *       inputs' positions included, is written; the outputs commit), in {@link
 *       Recovery#reloadSavepointDir}.
 *   <li>The new graph starts from that savepoint: state follows the uids (stage tags), so every
 *       stage that still exists keeps its state; that of removed stages and outputs is dropped and
 *       said in one line. The redis-server the launcher started is the same one.
 *   <li>Should the new job not start after all (a setup() that fails against the real Redis, a
 *       state that does not fit), the previous version starts again from the same savepoint and the
 *       reload reports failure (status 1).
 * </ol>
 *
 * <p>Runs on the launcher's main thread, between two polls of the job.
 */
final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    /** What runs now: the pipeline as loaded, as the job runs it, and ROOT's files then. */
    private record Current(
            PipelineSpec loaded, PipelineSpec running, RootFiles files, Promotions promotions) {}

    /**
     * What a reload left running.
     *
     * @param job the job now running (the same one when nothing was switched)
     * @param running the pipeline it runs
     * @param finished the accumulators of the job that stopped, or null when none stopped
     */
    record Outcome(JobClient job, PipelineSpec running, Map<String, Object> finished) {}

    private final LocalJobs jobs;
    private final LaunchOptions options;
    private final String jobName;
    private Current current;

    Reloader(LocalJobs jobs, LaunchOptions options, String jobName, PipelineSpec loaded) {
        this.jobs = jobs;
        this.options = options;
        this.jobName = jobName;
        PipelineSpec running;
        try {
            running = jobs.running(loaded); // as the first job runs it: shadows keep their database
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.current = new Current(loaded, running, RootFiles.of(options.root()), Promotions.NONE);
    }

    /** Handles {@code request} against the running {@code job}; completes its status. */
    Outcome reload(JobClient job, ReloadRequests.Request request) {
        PrintStream out = request.answer();
        Outcome unchanged = new Outcome(job, current.running(), null);
        PipelineSpec loaded;
        try {
            loaded = ConfigLoader.load(options.root(), options.logDir());
        } catch (ConfigException e) {
            return refuse(request, e.getMessage(), unchanged);
        }
        Promotions promotions = current.promotions();
        if (request.promote() != null) {
            try {
                promotions = promotions.with(loaded, request.promote());
            } catch (IllegalArgumentException e) {
                return refuse(request, e.getMessage(), unchanged);
            }
        }
        List<String> overrides = new ArrayList<>();
        Promotions.Applied applied = promotions.apply(loaded, overrides);
        loaded = applied.pipeline();
        promotions = applied.promotions();
        for (String line : overrides) {
            out.println("dragonfly-mle: reload: " + line);
        }
        RootFiles files = RootFiles.of(options.root());
        PipelineChanges changes =
                PipelineChanges.between(
                        current.loaded(), loaded, files.changedSince(current.files()));
        if (changes.refusal() != null) {
            return refuse(request, changes.refusal(), unchanged);
        }
        if (changes.none()) {
            out.println(
                    "dragonfly-mle: reload: nothing changed in "
                            + options.root()
                            + "; the job goes on");
            request.status().complete(0);
            return unchanged;
        }
        for (String line : changes.lines()) {
            out.println("dragonfly-mle: reload: " + line);
        }
        PipelineSpec running;
        StreamExecutionEnvironment env;
        try {
            running = jobs.running(loaded);
            env = jobs.build(running);
        } catch (ConfigException e) {
            return refuse(request, e.getMessage(), unchanged);
        }
        List<StageSpec> toCheck = changes.toCheck();
        if (!toCheck.isEmpty()) {
            out.println(
                    "dragonfly-mle: reload: starting "
                            + String.join(
                                    ", ", toCheck.stream().map(StageSpec::scriptName).toList())
                            + " against a throwaway redis-server");
            try {
                SetupCheck.run(loaded, toCheck);
            } catch (ScriptSetupException e) {
                return refuse(request, e.getMessage(), unchanged);
            } catch (RuntimeException e) {
                out.println("dragonfly-mle: reload: cannot check the scripts: " + e.getMessage());
                out.println("dragonfly-mle: reload not done; the running job goes on unchanged");
                request.status().complete(1);
                return unchanged;
            }
        }
        return switchTo(
                job, new Current(loaded, running, files, promotions), env, changes, request);
    }

    private Outcome switchTo(
            JobClient job,
            Current next,
            StreamExecutionEnvironment env,
            PipelineChanges changes,
            ReloadRequests.Request request) {
        PrintStream out = request.answer();
        Outcome unchanged = new Outcome(job, current.running(), null);
        out.println("dragonfly-mle: reload: stopping the job with a savepoint");
        long t0 = System.nanoTime();
        String savepoint;
        Map<String, Object> finished;
        HeldSockets.open(); // socket inputs stay bound and receiving until the new job reads
        try {
            savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    Recovery.reloadSavepointDir(current.running()),
                                    SavepointFormatType.CANONICAL)
                            .get();
            JobExecutionResult result = job.getJobExecutionResult().get();
            finished = result.getAllAccumulatorResults();
        } catch (Exception e) {
            out.println("dragonfly-mle: reload: the savepoint failed: " + rootCause(e));
            out.println("dragonfly-mle: reload not done; the running job goes on unchanged");
            request.status().complete(1);
            return unchanged;
        } finally {
            HeldSockets.close();
        }
        long saved = System.nanoTime();
        if (!changes.dropped().isEmpty()) {
            out.println(
                    "dragonfly-mle: reload: state dropped with what was removed: "
                            + String.join(", ", changes.dropped()));
        }
        JobClient started = null;
        try {
            started = jobs.submitFrom(env, next.running(), jobName, savepoint, out);
            jobs.awaitRunning(started);
        } catch (Exception e) {
            String why = setupMessage(e);
            out.println("dragonfly-mle: reload: the new version did not start: " + why);
            cancelQuietly(started);
            return rollBack(savepoint, finished, request);
        }
        long running = System.nanoTime();
        HeldSockets.releaseAllBut(next.running());
        out.println(
                String.format(
                        Locale.ROOT,
                        "dragonfly-mle: reload: switched in %.2f s (savepoint %.2f s, new job"
                                + " running %.2f s later); restored from %s",
                        (running - t0) / 1e9,
                        (saved - t0) / 1e9,
                        (running - saved) / 1e9,
                        savepoint));
        LOG.info("reload: switched in {} ms from {}", (running - t0) / 1_000_000, savepoint);
        Recovery.deleteReloadSavepointsExcept(next.running(), savepoint);
        current = next;
        request.status().complete(0);
        return new Outcome(started, next.running(), finished);
    }

    /** Starts the version that ran before from {@code savepoint}, after a failed switch. */
    private Outcome rollBack(
            String savepoint, Map<String, Object> finished, ReloadRequests.Request request) {
        PrintStream out = request.answer();
        out.println("dragonfly-mle: reload: starting the previous version again from " + savepoint);
        try {
            JobClient back =
                    jobs.submitFrom(
                            jobs.build(current.running()),
                            current.running(),
                            jobName,
                            savepoint,
                            out);
            jobs.awaitRunning(back);
            HeldSockets.releaseAllBut(current.running());
            out.println("dragonfly-mle: reload failed; the previous version runs again");
            request.status().complete(1);
            return new Outcome(back, current.running(), finished);
        } catch (Exception e) {
            out.println(
                    "dragonfly-mle: reload: the previous version did not start either: "
                            + setupMessage(e));
            request.status().complete(1);
            throw new IllegalStateException(
                    "after a failed reload, the previous version did not start again: "
                            + setupMessage(e),
                    e);
        }
    }

    private Outcome refuse(ReloadRequests.Request request, String message, Outcome unchanged) {
        request.answer().println("dragonfly-mle: " + message);
        request.answer()
                .println("dragonfly-mle: reload refused; the running job goes on unchanged");
        request.status().complete(2);
        return unchanged;
    }

    private static String setupMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScriptSetupException) {
                return t.getMessage();
            }
        }
        return rootCause(e);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static void cancelQuietly(JobClient job) {
        if (job == null) {
            return;
        }
        try {
            job.cancel().get();
            job.getJobExecutionResult().handle((r, e) -> null).get();
        } catch (Exception e) {
            // it failed already
        }
    }
}
