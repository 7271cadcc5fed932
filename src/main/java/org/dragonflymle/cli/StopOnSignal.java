package org.dragonflymle.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM in local mode end the run in order instead of killing the JVM under the job:
 * with {@code --savepoint DIR} the job stops with a savepoint (sources stop, every operator's state
 * is written to DIR, the job finishes); without it the job is cancelled, and its checkpoints stay
 * in {@code checkpoint.dir} for {@code --resume}. Either way the launcher then prints its summary
 * and a "stopped" line, and stops the redis-server it started. A second signal exits at once.
 *
 * <p>Installed by the launcher in local mode only: the JVM is the launcher's own, so the handlers
 * replace no one's (a cluster's JobManager and a {@code flink run} client keep Flink's). The
 * handler only records the request; {@link JobWatch} stops the job from its own thread, while the
 * MiniCluster is still up to take the savepoint.
 */
final class StopOnSignal {

    private final Path savepointDir;
    private final PrintStream terminal;
    private final CompletableFuture<String> requested = new CompletableFuture<>();
    private final AtomicReference<String> savepoint = new AtomicReference<>();
    private final AtomicInteger signals = new AtomicInteger();

    private StopOnSignal(Path savepointDir, PrintStream terminal) {
        this.savepointDir = savepointDir;
        this.terminal = terminal;
    }

    /**
     * Handles SIGINT and SIGTERM from now on: the first completes {@link #requested()}, the second
     * exits the JVM (status 128 + the signal's number).
     *
     * @param savepointDir where {@link #stop(JobClient)} takes a savepoint, or null to cancel
     */
    static StopOnSignal install(Path savepointDir, PrintStream terminal) {
        StopOnSignal stop = new StopOnSignal(savepointDir, terminal);
        SignalHandler handler =
                s -> {
                    String name = "SIG" + s.getName();
                    if (stop.signals.incrementAndGet() > 1) {
                        terminal.println("dragonfly-mle: " + name + " again: exiting now");
                        // a new thread: exit runs the shutdown hooks, which may wait on this one
                        new Thread(() -> System.exit(128 + s.getNumber()), "dragonfly-exit")
                                .start();
                        return;
                    }
                    terminal.println(
                            "dragonfly-mle: "
                                    + name
                                    + (savepointDir == null
                                            ? ": stopping"
                                            : ": stopping with a savepoint in " + savepointDir));
                    stop.requested.complete(name);
                };
        Signal.handle(new Signal("INT"), handler);
        Signal.handle(new Signal("TERM"), handler);
        return stop;
    }

    /** Completes with the signal's name ({@code SIGTERM}, {@code SIGINT}) when one arrives. */
    CompletableFuture<String> requested() {
        return requested;
    }

    /** The signal that asked the run to stop, or null. */
    String signal() {
        return requested.getNow(null);
    }

    /**
     * Stops the job as asked: with a savepoint (the job then finishes) or by cancelling it (its
     * checkpoints are retained).
     */
    void stop(JobClient job) {
        if (savepointDir == null) {
            job.cancel();
            return;
        }
        job.stopWithSavepoint(false, savepointDir.toUri().toString(), SavepointFormatType.CANONICAL)
                .whenComplete(
                        (path, error) -> {
                            if (error != null) {
                                terminal.println("dragonfly-mle: savepoint failed: " + error);
                            } else {
                                savepoint.set(path);
                            }
                        });
    }

    /** Whether {@link #stop(JobClient)} cancels the job (no savepoint asked for). */
    boolean cancels() {
        return savepointDir == null;
    }

    /** The savepoint written, or null when none was taken (yet). */
    String savepoint() {
        return savepoint.get();
    }
}
