package org.dragonflymle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dragonflymle.os.ProcStatus;

/**
 * One measured run of a child JVM: wall time, times at which the output file first and last grew,
 * CPU seconds and peak RSS, read from {@code /proc/PID} while the process lives (sampled every 20
 * ms; the last sample is taken within 20 ms of the exit, VmHWM is a high-water mark).
 */
final class ChildRun {

    /** What one run measured. */
    record Measurement(
            long startEpochMillis,
            double wallSeconds,
            double firstOutputSeconds,
            double lastOutputSeconds,
            double cpuSeconds,
            long peakRssKb,
            int exitCode) {}

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private ChildRun() {}

    static Measurement run(List<String> command, Path output, Path log)
            throws IOException, InterruptedException {
        long startEpochMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        long pid = p.pid();
        double firstOutput = -1;
        double lastOutput = -1;
        long outputSize = 0;
        double cpu = 0;
        long rss = 0;
        while (p.isAlive()) {
            long size = Files.exists(output) ? Files.size(output) : 0;
            if (size != outputSize) {
                double now = (System.nanoTime() - start) / 1e9;
                if (firstOutput < 0) {
                    firstOutput = now;
                }
                lastOutput = now;
                outputSize = size;
            }
            cpu = Math.max(cpu, cpuSeconds(pid));
            rss = Math.max(rss, peakRssKb(pid));
            Thread.sleep(20);
        }
        int exit = p.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        if (firstOutput < 0) {
            firstOutput = wall;
        }
        if (lastOutput < 0 || Files.exists(output) && Files.size(output) != outputSize) {
            lastOutput = wall; // the last lines landed between the last sample and the exit
        }
        return new Measurement(startEpochMillis, wall, firstOutput, lastOutput, cpu, rss, exit);
    }

    /** User and system CPU seconds of process {@code pid} so far, or 0 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long peakRssKb(long pid) {
        return ProcStatus.field(ProcStatus.ofProcess(pid), "VmHWM")
                .map(kb -> Long.parseLong(kb.replaceAll("[^0-9]", "")))
                .orElse(0L);
    }
}
