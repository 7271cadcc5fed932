package org.dragonflymle.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs a process or thread may run on, and confining a thread or a new program to one CPU.
 *
 * <p>Java has no API for CPU affinity, so this reads {@code Cpus_allowed_list} from {@code
 * /proc/PID/status} and changes affinity through {@code taskset(1)} (util-linux, on every Debian),
 * a fork per change: fine for a decision taken once per connection, not for every event. The engine
 * uses it to keep a thread that waits on Redis for every event on Redis's own CPU (see {@code
 * org.dragonflymle.redis.RedisColocation}). Anything unknown — not Linux, no taskset, a process in
 * another PID namespace — comes back empty or false, never as an exception.
 */
public final class CpuAffinity {

    private static final Path TASKSET = Executables.find("taskset");
    private static final long TASKSET_TIMEOUT_SECONDS = 5;

    private CpuAffinity() {}

    /** The CPUs process {@code pid} may run on; empty when that cannot be read. */
    public static Optional<BitSet> ofProcess(long pid) {
        return pid > 0 ? read(ProcStatus.ofProcess(pid)) : Optional.empty();
    }

    /** The CPUs this JVM may run on; empty when that cannot be read. */
    public static Optional<BitSet> ofThisProcess() {
        return read(Path.of("/proc/self/status"));
    }

    /**
     * The kernel's id of the calling thread (what {@code ps -L} shows), or empty off Linux. Java's
     * own thread ids are not the kernel's.
     */
    public static OptionalLong currentThreadId() {
        try {
            // "/proc/thread-self" links to "PID/task/TID".
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return OptionalLong.of(Long.parseLong(link.getFileName().toString()));
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The CPUs thread {@code tid} of this process may run on; empty when that cannot be read. */
    public static Optional<BitSet> ofThread(long tid) {
        return tid > 0
                ? read(Path.of("/proc/self/task", Long.toString(tid), "status"))
                : Optional.empty();
    }

    /**
     * Lets thread {@code tid} of this process run only on {@code cpus}. Threads it starts
     * afterwards inherit that; the rest of the process keeps its own. Runs taskset and waits for it
     * (a few milliseconds, at most 5 s).
     *
     * @throws CpuAffinityException when the thread's CPUs are not exactly {@code cpus} afterwards:
     *     no taskset, CPUs outside this process's cpuset, a thread that has ended, or not Linux
     */
    public static void setThread(long tid, BitSet cpus) throws CpuAffinityException {
        String what = "thread " + tid + " to CPU " + format(cpus);
        if (TASKSET == null) {
            throw new CpuAffinityException("cannot move " + what + ": taskset is not installed");
        }
        if (tid <= 0 || cpus.isEmpty()) {
            throw new IllegalArgumentException("no thread or no CPU: " + what);
        }
        run(what, List.of(TASKSET.toString(), "-p", "-c", format(cpus), Long.toString(tid)));
        Optional<BitSet> now = ofThread(tid);
        if (!now.equals(Optional.of(cpus))) {
            throw new CpuAffinityException(
                    "moved "
                            + what
                            + " but it runs on "
                            + now.map(CpuAffinity::format).orElse("unknown CPUs")
                            + " now");
        }
    }

    /**
     * The words that, put in front of a command, start it confined to {@code cpu}; empty when
     * taskset is not installed (the command then runs unconfined). taskset replaces itself with the
     * command, so the process started is the command's own.
     */
    public static List<String> confiningPrefix(int cpu) {
        return TASKSET == null
                ? List.of()
                : List.of(TASKSET.toString(), "-c", Integer.toString(cpu));
    }

    /**
     * Parses the kernel's CPU list format: {@code "0-3,8,10-11"}.
     *
     * @throws IllegalArgumentException when {@code list} is not in that format
     */
    public static BitSet parseList(String list) {
        BitSet cpus = new BitSet();
        String trimmed = list.trim();
        if (trimmed.isEmpty()) {
            return cpus;
        }
        for (String part : trimmed.split(",")) {
            int dash = part.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to < from) {
                    throw new IllegalArgumentException("bad CPU range '" + part + "' in " + list);
                }
                cpus.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list: " + list, e);
            }
        }
        return cpus;
    }

    /** The kernel's CPU list format of {@code cpus}, for taskset: {@code "0-3,8"}. */
    public static String format(BitSet cpus) {
        StringBuilder list = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; from = cpus.nextSetBit(from)) {
            int to = cpus.nextClearBit(from) - 1;
            if (list.length() > 0) {
                list.append(',');
            }
            list.append(from);
            if (to > from) {
                list.append('-').append(to);
            }
            from = to + 1;
        }
        return list.toString();
    }

    private static Optional<BitSet> read(Path status) {
        try {
            return ProcStatus.field(status, "Cpus_allowed_list").map(CpuAffinity::parseList);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void run(String what, List<String> command) throws CpuAffinityException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CpuAffinityException(
                        "cannot move " + what + ": taskset did not finish in 5 s");
            }
            if (p.exitValue() != 0) {
                String output =
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .trim();
                throw new CpuAffinityException(
                        "cannot move "
                                + what
                                + ": taskset exited with "
                                + p.exitValue()
                                + ": "
                                + output);
            }
        } catch (IOException e) {
            throw new CpuAffinityException("cannot move " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CpuAffinityException("cannot move " + what + ": interrupted", e);
        }
    }
}
