package org.dragonflymle.os;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/**
 * Which CPUs a process may run on, read from {@code Cpus_allowed_list} in {@code /proc/PID/status}
 * (Java has no API for it). The local launcher uses it to choose the CPU of the redis-server it
 * starts, when asked to ({@code LocalModeOptions}); nothing here changes any thread's or process's
 * affinity. Anything unknown (not Linux, a process in another PID namespace) comes back empty,
 * never as an exception.
 */
public final class CpuAffinity {

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

    /** The kernel's CPU list format of {@code cpus}: {@code "0-3,8"}. */
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
}
