package org.dragonflymle.redis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.testutils.RedisChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The redis-server the launcher starts never outlives the engine: killed with SIGKILL, the JVM
 * takes its server along (parent-death signal), and what it left on disk is removed by the next
 * start, which never adopts a server whose engine is gone.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OrphanRedisITCase {

    @Test
    void aKilledEngineTakesItsRedisAlongAndTheNextStartRemovesItsDirectory() throws Exception {
        Process child =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-cp",
                                System.getProperty("java.class.path"),
                                RedisChild.class.getName())
                        .redirectErrorStream(true)
                        .start();
        String[] line;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String l = out.readLine();
            while (l != null && !l.matches("\\d+ /.*")) {
                l = out.readLine();
            }
            assertThat(l).as("the child printed its server").isNotNull();
            line = l.split(" ", 2);
            long redisPid = Long.parseLong(line[0]);
            Path dir = Path.of(line[1]);
            assertThat(ProcessHandle.of(redisPid)).isPresent();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ProcessHandle.of(redisPid).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(redisPid)).as("redis-server died with its JVM").isEmpty();
            assertThat(dir).as("left behind by SIGKILL").exists();

            RedisServerProcess
                    .removeStale(); // another engine starting on this machine may be first
            assertThat(dir).as("removed by the next start").doesNotExist();
        }
    }

    @Test
    void anOrphanWhoseEngineIsGoneIsStoppedNotAdopted() throws Exception {
        Path dir = Files.createTempDirectory("redis-server-");
        // the installed server, else embedded-redis's, as the launcher would have started
        RedisServerBinary binary = RedisServerBinary.locate(false);
        Process orphan =
                new ProcessBuilder(
                                binary.path().toString(),
                                "--port",
                                "0",
                                "--save",
                                "",
                                "--unixsocket",
                                dir.resolve("redis.sock").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("log").toFile())
                        .start();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("owner"), gone.pid() + " " + orphan.pid() + "\n");

        RedisServerProcess.removeStale(); // another engine starting on this machine may be first

        try {
            assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("the orphan was stopped").isTrue();
            assertThat(dir).doesNotExist();
        } finally {
            orphan.destroyForcibly();
            binary.deleteIfExtracted();
        }
    }
}
