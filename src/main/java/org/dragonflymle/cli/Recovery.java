package org.dragonflymle.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.dragonflymle.config.PipelineSpec;

/**
 * Checkpointing and where a run starts from. Checkpoints are on by default, for streams and replays
 * alike (docs/guarantees.md), exactly-once, every {@code checkpoint.interval} (default 10 s, 1 s
 * for a replay), kept in {@code checkpoint.dir} (default {@code LOGDIR/checkpoints}) and retained
 * when the job is cancelled or killed, so {@code --resume} can continue from the newest one. {@code
 * --from-savepoint} starts from a savepoint (or any retained checkpoint) instead.
 */
final class Recovery {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    /**
     * A bounded replay finishes only after one last checkpoint (so transactional sinks commit),
     * which waits for the next interval: replays checkpoint more often to end promptly.
     */
    static final Duration DEFAULT_REPLAY_INTERVAL = Duration.ofSeconds(1);

    private Recovery() {}

    /** The directory checkpoints of this pipeline go to, as a URI string. */
    static String checkpointDir(PipelineSpec spec) {
        return spec.checkpoint().dir() != null
                ? spec.checkpoint().dir()
                : spec.logDir().resolve("checkpoints").toUri().toString();
    }

    /**
     * Where a reload's savepoints go: {@code reloads/} in the checkpoint directory, so that {@code
     * --resume} finds the newest of them and of the retained checkpoints (a job that a reload
     * stopped has finished, and Flink discards a finished job's checkpoints).
     */
    static String reloadSavepointDir(PipelineSpec spec) {
        String dir = checkpointDir(spec);
        return (dir.endsWith("/") ? dir : dir + "/") + "reloads";
    }

    /**
     * Deletes the reload savepoints of {@code spec} other than {@code keep}: the job that runs now
     * started from {@code keep}, and its own checkpoints will be newer still. Only a local
     * directory is cleaned; a failure to delete leaves a savepoint behind, nothing else.
     */
    static void deleteReloadSavepointsExcept(PipelineSpec spec, String keep) {
        URI dir = URI.create(reloadSavepointDir(spec));
        if (!"file".equals(dir.getScheme())) {
            return;
        }
        Path kept = Path.of(URI.create(keep.startsWith("file:") ? keep : "file:" + keep));
        try (Stream<Path> old = Files.list(Path.of(dir))) {
            for (Path p : old.filter(p -> !p.equals(kept)).toList()) {
                if (p.getFileName().toString().startsWith("savepoint-")) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // nothing there yet, or not readable: leave it
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * How often this pipeline checkpoints: config.lua's {@code checkpoint.interval}, else {@link
     * #DEFAULT_REPLAY_INTERVAL} for a replay and {@link #DEFAULT_INTERVAL} for a stream.
     * Checkpointing is never off.
     */
    static Duration interval(PipelineSpec spec) {
        if (spec.checkpoint().interval() != null) {
            return spec.checkpoint().interval();
        }
        return isReplay(spec) ? DEFAULT_REPLAY_INTERVAL : DEFAULT_INTERVAL;
    }

    /**
     * Sets checkpointing and the state a run starts from.
     *
     * @param terminal where a run that resumes says from what
     */
    static void configure(
            Configuration conf, PipelineSpec spec, LaunchOptions options, PrintStream terminal)
            throws UsageException {
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval(spec));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir(spec));
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (options.savepointDir() != null) {
            conf.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    options.savepointDir().toUri().toString());
        }
        String from = options.fromSavepoint();
        if (options.resume() != LaunchOptions.Resume.NO) {
            Path dir = Path.of(java.net.URI.create(checkpointDir(spec)));
            Optional<Path> latest = latestCheckpoint(dir);
            if (latest.isPresent()) {
                from = latest.get().toString();
                terminal.println("dragonfly-mle: resuming from " + from);
            } else if (options.resume() == LaunchOptions.Resume.REQUIRED) {
                throw new UsageException(
                        "--resume: no retained checkpoint in "
                                + dir
                                + " (nothing to resume; run without --resume)");
            } else {
                terminal.println(
                        "dragonfly-mle: no retained checkpoint in " + dir + ": starting afresh");
            }
        }
        if (from != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, from);
        }
    }

    /** Whether every input is a file read once (file://, zfile://), so the job ends by itself. */
    static boolean isReplay(PipelineSpec spec) {
        return spec.inputs().stream()
                .allMatch(i -> i.uri().startsWith("file:") || i.uri().startsWith("zfile:"));
    }

    /**
     * The newest complete checkpoint ({@code chk-N} with {@code _metadata}) or reload savepoint
     * ({@code reloads/savepoint-…}) under {@code dir}.
     */
    static Optional<Path> latestCheckpoint(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files =
                Files.find(
                        dir,
                        3,
                        (p, a) ->
                                p.getFileName().toString().equals("_metadata")
                                        && isRestorePoint(p.getParent()))) {
            return files.map(Path::getParent).max(Comparator.comparing(Recovery::modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRestorePoint(Path dir) {
        String name = dir.getFileName().toString();
        return name.startsWith("chk-")
                || (name.startsWith("savepoint-")
                        && dir.getParent().getFileName().toString().equals("reloads"));
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
