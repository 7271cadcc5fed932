package org.dragonflymle.cli;

import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.metrics.StatsOptions;

/**
 * The operator-experience options of {@code dragonfly-mle}, taken out of the command line before
 * {@link LaunchOptions} parses the rest (so Flink never sees them as {@code --key=value} options).
 *
 * @param explain null to run the job; {@code "text"} or {@code "dot"} to print the graph and exit
 * @param progress {@code auto} (a refreshed line on a terminal, a line every 10 s otherwise),
 *     {@code tty}, {@code plain} or {@code off}
 * @param wwwPort port of the analyzer explanation server ({@code ROOT/www}); 0 picks a free one, -1
 *     turns it off
 * @param wwwPortFixed whether the port was given on the command line (else another free port is
 *     taken when the default one is busy)
 * @param statsIntervalSeconds how often every stage writes its stats line (default 60)
 * @param metricsPort the port Prometheus scrapes on 127.0.0.1 in local mode, or -1 (the default: no
 *     reporter)
 */
record OperatorFlags(
        String explain,
        String progress,
        int wwwPort,
        boolean wwwPortFixed,
        long statsIntervalSeconds,
        int metricsPort) {

    static final String USAGE =
            "  --explain[=dot]  print the job graph (text, or Graphviz DOT) and exit without running\n"
                    + "  --progress=MODE  auto (default), tty, plain or off: replay progress on the terminal\n"
                    + "  --www-port=N     serve ROOT/www/TAG.json on 127.0.0.1:N (default 7070, else a free\n"
                    + "                   port; 0 = any free port; -1 = off)\n"
                    + "  --stats-interval=SECONDS  how often each stage writes its line to"
                    + " dragonfly-stats.log (60)\n"
                    + "  --metrics-port=N  serve Flink's metrics for Prometheus on"
                    + " http://127.0.0.1:N/metrics (default: off)\n"
                    + "usage: dragonfly-mle test [-r ROOT] [-v] [TEST...]   run ROOT/tests"
                    + " (docs/testing-analyzers.md)\n"
                    + "usage: dragonfly-mle reload [-l LOGDIR]   validate ROOT and"
                    + " switch the running engine to it (docs/running.md#reloading)\n";

    /** The C engine's port for ROOT/www. */
    static final int DEFAULT_WWW_PORT = 7070;

    /** The flags in {@code args} and what remains of {@code args} without them. */
    record Split(OperatorFlags flags, String[] rest) {}

    static Split extract(String[] args) throws UsageException {
        String explain = null;
        String progress = "auto";
        int www = DEFAULT_WWW_PORT;
        boolean wwwGiven = false;
        long stats = StatsOptions.DEFAULT_INTERVAL_SECONDS;
        int metrics = -1;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--explain") || a.equals("--explain=text")) {
                explain = "text";
            } else if (a.equals("--explain=dot")) {
                explain = "dot";
            } else if (a.startsWith("--explain=")) {
                throw new UsageException("--explain takes text or dot, not " + a.substring(10));
            } else if (a.startsWith("--progress=")) {
                progress = a.substring("--progress=".length());
                if (!List.of("auto", "tty", "plain", "off").contains(progress)) {
                    throw new UsageException(
                            "--progress takes auto, tty, plain or off, not " + progress);
                }
            } else if (a.startsWith("--www-port=")) {
                try {
                    www = Integer.parseInt(a.substring("--www-port=".length()));
                } catch (NumberFormatException e) {
                    throw new UsageException("--www-port takes a port number, -1 or 0");
                }
                if (www < -1 || www > 65535) {
                    throw new UsageException("--www-port takes a port number, -1 or 0");
                }
                wwwGiven = true;
            } else if (a.startsWith("--stats-interval=")) {
                try {
                    stats = Long.parseLong(a.substring("--stats-interval=".length()));
                } catch (NumberFormatException e) {
                    stats = 0;
                }
                if (stats < 1) {
                    throw new UsageException(
                            "--stats-interval takes a whole number of seconds >= 1");
                }
            } else if (a.startsWith("--metrics-port=")) {
                try {
                    metrics = Integer.parseInt(a.substring("--metrics-port=".length()));
                } catch (NumberFormatException e) {
                    metrics = 0;
                }
                if (metrics < 1 || metrics > 65535) {
                    throw new UsageException("--metrics-port takes a port number (1-65535)");
                }
            } else {
                rest.add(a);
            }
        }
        return new Split(
                new OperatorFlags(explain, progress, www, wwwGiven && www > 0, stats, metrics),
                rest.toArray(new String[0]));
    }
}
