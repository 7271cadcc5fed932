package org.dragonflymle.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * With {@code --savepoint DIR}, Ctrl-C or SIGTERM stops the job with a savepoint instead of killing
 * it: sources stop, every operator's state (keyed state, timers, offsets) is written to DIR, the
 * job finishes, and the launcher prints the savepoint's path for {@code --from-savepoint}. The
 * JVM's own shutdown is never reached, so the MiniCluster is still there to take the savepoint.
 */
final class StopWithSavepoint {

    private final AtomicReference<String> savepoint = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private StopWithSavepoint() {}

    static StopWithSavepoint install(JobClient job, Path dir, PrintStream terminal) {
        StopWithSavepoint stop = new StopWithSavepoint();
        SignalHandler handler =
                signal -> {
                    terminal.println(
                            "dragonfly-mle: SIG"
                                    + signal.getName()
                                    + ": stopping with a savepoint in "
                                    + dir);
                    job.stopWithSavepoint(
                                    false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                            .whenComplete(
                                    (path, error) -> {
                                        if (error != null) {
                                            stop.failure.set(error);
                                            terminal.println(
                                                    "dragonfly-mle: savepoint failed: " + error);
                                        } else {
                                            stop.savepoint.set(path);
                                        }
                                    });
                };
        Signal.handle(new Signal("INT"), handler);
        Signal.handle(new Signal("TERM"), handler);
        return stop;
    }

    /** The savepoint written, or null when none was taken (yet). */
    String savepoint() {
        return savepoint.get();
    }
}
