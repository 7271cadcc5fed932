package org.dragonflymle.redis.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The temporary directories of the servers {@link RedisServerProcess} starts ({@code
 * redis-server-*}: the server's data and Unix socket, its log, and an {@code owner} file naming the
 * JVM that started it and the server), and the removal of those a dead JVM left behind.
 */
final class RedisWorkDirs {

    /** Who started the server in this directory: {@code <JVM pid> <server pid>}. */
    private static final String OWNER_FILE = "owner";

    private RedisWorkDirs() {}

    /** A new, empty directory for one server. */
    static Path create() {
        try {
            return Files.createTempDirectory("redis-server-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for redis-server", e);
        }
    }

    /** Deletes {@code dir} and everything in it, as far as it can. */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: removeStale() finds what is left at the next start.
        }
    }

    /** Writes who started the server in {@code workDir}. */
    static void writeOwner(Path workDir, long serverPid) {
        try {
            Files.writeString(
                    workDir.resolve(OWNER_FILE),
                    ProcessHandle.current().pid() + " " + serverPid + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // without it a leftover directory is only found by its age
        }
    }

    /**
     * Removes what servers started by JVMs that no longer run left behind in the temporary
     * directory: the server process itself, if it still runs (its starter was killed where the
     * parent-death signal was not available), and its directory with the socket. Servers of live
     * JVMs (other runs, tests) are left alone. Returns how many were removed.
     */
    static int removeStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        int removed = 0;
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (!dir.getFileName().toString().startsWith("redis-server-")) {
                    continue;
                }
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                String[] pids;
                try {
                    pids = Files.readString(owner, StandardCharsets.US_ASCII).trim().split(" ");
                } catch (IOException e) {
                    continue;
                }
                if (pids.length != 2 || ProcessHandle.of(Long.parseLong(pids[0])).isPresent()) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(pids[1]))
                        // (Debian's redis-server is a link to redis-check-rdb: the name is in argv)
                        .filter(
                                h ->
                                        h.info().command().orElse("").contains("redis")
                                                || h.info()
                                                        .commandLine()
                                                        .orElse("")
                                                        .contains("redis-server"))
                        .ifPresent(
                                h -> {
                                    h.destroyForcibly();
                                    h.onExit()
                                            .orTimeout(5, TimeUnit.SECONDS)
                                            .exceptionally(x -> h)
                                            .join();
                                });
                delete(dir);
                removed++;
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return removed;
    }
}
