package org.dragonflymle.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line of {@code dragonfly-mle} (docs/running.md): where the root and the log
 * directory are, verbosity, and options handed on unchanged to Flink.
 *
 * @param root {@code -r}, default /usr/local/dragonfly-mle
 * @param logDir {@code -l}, default /var/log/dragonfly-mle
 * @param verbose {@code -v}
 * @param confineDir {@code -c DIR}: every script file access must stay inside DIR; null if unset
 * @param savepointDir {@code --savepoint DIR}: where Ctrl-C/SIGTERM puts a savepoint, or null
 * @param fromSavepoint {@code --from-savepoint}: a savepoint or checkpoint to start from, or null
 * @param resume {@code --resume}: start from the newest retained checkpoint; {@code
 *     --resume-if-any}: from it when there is one
 * @param flinkOptions remaining {@code --key=value} options
 */
public record LaunchOptions(
        Path root,
        Path logDir,
        boolean verbose,
        Path confineDir,
        Path savepointDir,
        String fromSavepoint,
        Resume resume,
        List<String> flinkOptions) {

    /** Whether a run continues from the newest retained checkpoint. */
    public enum Resume {
        /** It starts from the beginning (or {@code --from-savepoint}). */
        NO,
        /** {@code --resume}: it must; no retained checkpoint is a usage error. */
        REQUIRED,
        /** {@code --resume-if-any}: it does when there is one (a service's start command). */
        IF_ANY
    }

    public static final String USAGE =
            "usage: dragonfly-mle [-r ROOT] [-l LOGDIR] [-v] [-p] [-c DIR] [flink options]\n"
                    + "  -r ROOT    Dragonfly root (config/config.lua, filter/, analyzer/);"
                    + " default /usr/local/dragonfly-mle\n"
                    + "  -l LOGDIR  where relative outputs and the engine's logs go;"
                    + " default /var/log/dragonfly-mle\n"
                    + "  -v         verbose\n"
                    + "  -p         drop privileges (done by the launcher script before Java starts)\n"
                    + "  -c DIR     confine script file access to DIR\n"
                    + "  --savepoint DIR        on Ctrl-C/SIGTERM stop with a savepoint written to DIR\n"
                    + "  --from-savepoint PATH  start from a savepoint or retained checkpoint\n"
                    + "  --resume               continue from the newest retained checkpoint\n"
                    + "  --resume-if-any        the same when there is one, else start afresh\n";

    public static LaunchOptions parse(String[] args) throws UsageException {
        Path root = Path.of("/usr/local/dragonfly-mle");
        Path logDir = Path.of("/var/log/dragonfly-mle");
        boolean verbose = false;
        Path confine = null;
        Path savepoint = null;
        String fromSavepoint = null;
        Resume resume = Resume.NO;
        List<String> flink = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-r" -> root = Path.of(value(args, ++i, a));
                case "-l" -> logDir = Path.of(value(args, ++i, a));
                case "-v" -> verbose = true;
                case "-c" -> confine = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "-p" ->
                        throw new UsageException(
                                "-p (drop privileges) is done by the scripts/dragonfly-mle launcher before the"
                                        + " JVM starts; run through it, or start the JVM as the target user");
                case "--savepoint" -> savepoint = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--from-savepoint" -> fromSavepoint = location(value(args, ++i, a));
                case "--resume" -> resume = Resume.REQUIRED;
                case "--resume-if-any" -> resume = Resume.IF_ANY;
                case "-h", "--help" -> throw new UsageException("");
                default -> {
                    if (a.startsWith("--") && a.contains("=")) {
                        flink.add(a);
                    } else {
                        throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        if (resume != Resume.NO && fromSavepoint != null) {
            throw new UsageException("--resume and --from-savepoint exclude each other");
        }
        return new LaunchOptions(
                root.toAbsolutePath().normalize(),
                logDir.toAbsolutePath().normalize(),
                verbose,
                confine,
                savepoint,
                fromSavepoint,
                resume,
                List.copyOf(flink));
    }

    /** A savepoint location: a URI as given (file:/..., s3://...), a local path made absolute. */
    private static String location(String given) {
        return given.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
                ? given
                : Path.of(given).toAbsolutePath().toString();
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
