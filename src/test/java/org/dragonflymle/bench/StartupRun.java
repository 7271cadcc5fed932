package org.dragonflymle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The start-up figure of {@code scripts/bench}: the passthrough example on a one-line input,
 * started through the distribution's launcher as a user starts it, timed from the launch to the
 * first output line and to the exit, with where the time went read from the engine's log. The run
 * is started with {@code -v}, which puts Flink's INFO lines, with their times, into {@code
 * dragonfly-mle.log}.
 */
final class StartupRun {

    /**
     * Where the time of one start went, in seconds; NaN where the log did not say.
     *
     * @param jvmAndSetup launch to the MiniCluster starting: the launcher script, the JVM, logging,
     *     the command line; the MiniCluster then starts on a thread of its own while the main
     *     thread reads config.lua, starts or finds Redis and builds the job
     * @param miniCluster the MiniCluster's services (RPC, blob server, dispatcher, REST endpoint
     *     and dashboard, resource manager, the task manager)
     * @param jobToRunning the MiniCluster up to every task running: what is left of the main
     *     thread's own work, the job's submission, scheduling, deployment, the operators' {@code
     *     open} (Lua states, Redis connections, output files)
     * @param firstEvent every task running to the first line in the output file
     * @param shutdown the last output line to the exit (the final checkpoint, the MiniCluster and
     *     the redis-server stopping, the JVM's exit)
     */
    record Phases(
            double jvmAndSetup,
            double miniCluster,
            double jobToRunning,
            double firstEvent,
            double shutdown) {

        static final String HEADER =
                "| launch → MiniCluster | MiniCluster services | cluster up → tasks running |"
                        + " tasks running → first output | last output → exit |";

        String row() {
            return String.format(
                    Locale.ROOT,
                    "| %.2f | %.2f | %.2f | %.2f | %.2f |",
                    jvmAndSetup,
                    miniCluster,
                    jobToRunning,
                    firstEvent,
                    shutdown);
        }
    }

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS", Locale.ROOT);

    /**
     * The medians of several start-up runs; {@code spread} is "min–max" of launch → first output.
     */
    record Result(
            int runs,
            double firstOutput,
            String spread,
            double exit,
            double cpu,
            double rssMb,
            Phases phases) {}

    private StartupRun() {}

    /**
     * Runs the launcher {@code runs} times on {@code root} (whose config.lua reads a one-line input
     * and writes {@code outputFile}), printing each run, and returns the medians.
     */
    static Result measure(Path launcher, Path root, String outputFile, Path work, int runs)
            throws IOException, InterruptedException {
        List<ChildRun.Measurement> ms = new ArrayList<>();
        List<Phases> phases = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Path logs = work.resolve("runs").resolve("startup-" + r);
            Bench.deleteTree(logs);
            Files.createDirectories(logs);
            Path output = logs.resolve(outputFile);
            ChildRun.Measurement m =
                    ChildRun.run(
                            command(launcher, root, logs), output, work.resolve("startup.log"));
            long lines = Files.exists(output) ? Files.readAllLines(output).size() : 0;
            if (m.exitCode() != 0 || lines != 1) {
                throw new IllegalStateException(
                        "start-up run exited with "
                                + m.exitCode()
                                + " and wrote "
                                + lines
                                + " lines (expected 0 and 1); see "
                                + work.resolve("startup.log"));
            }
            Phases p = phases(m, logs.resolve("dragonfly-mle.log"));
            System.out.printf(
                    Locale.ROOT,
                    "  %-14s run %d: first output %4.2f s, exit %4.2f s, %5.1f CPU s, %4.0f MB peak"
                            + " RSS; %s%n",
                    "start-up",
                    r,
                    m.firstOutputSeconds(),
                    m.wallSeconds(),
                    m.cpuSeconds(),
                    m.peakRssKb() / 1024.0,
                    p.row());
            ms.add(m);
            phases.add(p);
            Bench.deleteTree(logs);
        }
        double[] first =
                ms.stream().mapToDouble(ChildRun.Measurement::firstOutputSeconds).toArray();
        return new Result(
                runs,
                Bench.median(first),
                String.format(
                        Locale.ROOT,
                        "%.2f–%.2f",
                        Arrays.stream(first).min().orElse(0),
                        Arrays.stream(first).max().orElse(0)),
                Bench.median(ms.stream().mapToDouble(ChildRun.Measurement::wallSeconds).toArray()),
                Bench.median(ms.stream().mapToDouble(ChildRun.Measurement::cpuSeconds).toArray()),
                Bench.median(ms.stream().mapToDouble(m -> m.peakRssKb() / 1024.0).toArray()),
                new Phases(
                        Bench.median(phases.stream().mapToDouble(Phases::jvmAndSetup).toArray()),
                        Bench.median(phases.stream().mapToDouble(Phases::miniCluster).toArray()),
                        Bench.median(phases.stream().mapToDouble(Phases::jobToRunning).toArray()),
                        Bench.median(phases.stream().mapToDouble(Phases::firstEvent).toArray()),
                        Bench.median(phases.stream().mapToDouble(Phases::shutdown).toArray())));
    }

    /** Prints {@code r} as the start-up section of the report. */
    static void print(Result r) {
        System.out.printf(
                Locale.ROOT,
                "%nstart-up: passthrough on one line through bin/dragonfly-mle, median of %d runs%n",
                r.runs());
        System.out.println(
                "| launch → first output s (min–max) | launch → exit s | CPU s | peak RSS MB |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        System.out.printf(
                Locale.ROOT,
                "| %.2f (%s) | %.2f | %.1f | %.0f |%n",
                r.firstOutput(),
                r.spread(),
                r.exit(),
                r.cpu(),
                r.rssMb());
        System.out.println("where it went, s (medians of each phase):");
        System.out.println(Phases.HEADER);
        System.out.println("| ---: | ---: | ---: | ---: | ---: |");
        System.out.println(r.phases().row());
    }

    /** The command line of a start-up run of the launcher on {@code root}. */
    static List<String> command(Path launcher, Path root, Path logs) {
        return List.of(launcher.toString(), "-v", "-r", root.toString(), "-l", logs.toString());
    }

    /** Reads the phases of the run {@code m} from its engine log. */
    static Phases phases(ChildRun.Measurement m, Path engineLog) throws IOException {
        List<String> log = Files.exists(engineLog) ? Files.readAllLines(engineLog) : List.of();
        double starting = secondsAfterLaunch(m, log, "Starting Flink Mini Cluster", false);
        double started =
                secondsAfterLaunch(m, log, "Flink Mini Cluster started successfully", false);
        double running = secondsAfterLaunch(m, log, "switched from INITIALIZING to RUNNING", true);
        return new Phases(
                starting,
                started - starting,
                running - started,
                m.firstOutputSeconds() - running,
                m.wallSeconds() - m.lastOutputSeconds());
    }

    /**
     * Seconds from the launch to the first (or, with {@code last}, the last) log line that contains
     * {@code marker}, or NaN.
     */
    static double secondsAfterLaunch(
            ChildRun.Measurement m, List<String> log, String marker, boolean last) {
        double at = Double.NaN;
        for (String line : log) {
            if (!line.contains(marker)) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            try {
                long millis =
                        LocalDateTime.parse(line.substring(0, space), LOG_TIME)
                                .atZone(ZoneId.systemDefault())
                                .toInstant()
                                .toEpochMilli();
                at = (millis - m.startEpochMillis()) / 1000.0;
            } catch (DateTimeParseException e) {
                continue;
            }
            if (!last) {
                break;
            }
        }
        return at;
    }
}
