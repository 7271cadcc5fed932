package org.dragonflymle.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One field of a process's or thread's {@code /proc/.../status} file, where Linux reports memory
 * peaks ({@code VmHWM}) and CPU affinity ({@code Cpus_allowed_list}) in text.
 */
public final class ProcStatus {

    private ProcStatus() {}

    /** The status file of process {@code pid}. */
    public static Path ofProcess(long pid) {
        return Path.of("/proc", Long.toString(pid), "status");
    }

    /**
     * The value of {@code name} (without the colon) in {@code statusFile}, trimmed; empty when the
     * file cannot be read (the process has gone, or this is not Linux) or has no such field.
     */
    public static Optional<String> field(Path statusFile, String name) {
        String prefix = name + ":";
        try {
            for (String line : Files.readAllLines(statusFile, StandardCharsets.US_ASCII)) {
                if (line.startsWith(prefix)) {
                    return Optional.of(line.substring(prefix.length()).trim());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
