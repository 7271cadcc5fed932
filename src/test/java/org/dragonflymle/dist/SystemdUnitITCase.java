package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.os.Executables;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd: the unit passes {@code systemd-analyze verify} with its ExecStart pointing at the
 * unpacked distribution, the logrotate file passes {@code logrotate -d}, and the unit's own command
 * line – run here as systemd would, with its paths moved into a temporary directory – follows a
 * growing eve.json, stops on SIGTERM with its summary (systemctl stop), and on the next start
 * resumes from the checkpoint it kept.
 */
class SystemdUnitITCase {

    private static final Path UNIT = Path.of("deploy/systemd/dragonfly-mle.service");
    private static final Path LOGROTATE = Path.of("deploy/systemd/dragonfly-mle.logrotate");

    @TempDir Path dir;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        home = Distribution.unpack(Files.createDirectories(dir.resolve("opt")));
    }

    private String unitWithPathsIn(Path root, Path logs) throws Exception {
        return Files.readString(UNIT)
                .replace("/opt/dragonfly-mle/", home + "/")
                .replace("/etc/dragonfly-mle/root", root.toString())
                .replace("/var/log/dragonfly-mle", logs.toString());
    }

    private static String execStart(String unit) {
        return unit.lines()
                .filter(l -> l.startsWith("ExecStart="))
                .findFirst()
                .orElseThrow()
                .substring("ExecStart=".length());
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        Path systemdAnalyze = Executables.find("systemd-analyze");
        assumeTrue(
                systemdAnalyze != null,
                "systemd-analyze is not installed (apt-get install systemd): the unit is not verified");
        Path unit = dir.resolve("dragonfly-mle.service");
        Files.writeString(unit, unitWithPathsIn(dir.resolve("root"), dir.resolve("logs")));

        Path out = dir.resolve("verify.txt");
        Process p =
                new ProcessBuilder(systemdAnalyze.toString(), "verify", unit.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(out);
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(said).doesNotContain("dragonfly-mle.service:");
    }

    @Test
    void logrotateAcceptsTheRotationRules() throws Exception {
        Path logrotate = Executables.find("logrotate");
        assumeTrue(
                logrotate != null,
                "logrotate is not installed (apt-get install logrotate): its rules are not checked");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        for (String f :
                List.of(
                        "hello-world-events.json",
                        "dragonfly-errors.log",
                        "dragonfly-stats.log",
                        "dragonfly-mle.log")) {
            Files.writeString(logs.resolve(f), "{}\n");
        }
        Path rules = dir.resolve("dragonfly-mle.logrotate");
        Files.writeString(
                rules,
                Files.readString(LOGROTATE).replace("/var/log/dragonfly-mle", logs.toString()));

        Path out = dir.resolve("logrotate.txt");
        Process p =
                new ProcessBuilder(
                                logrotate.toString(),
                                "-d",
                                "-f",
                                "-s",
                                dir.resolve("state").toString(),
                                rules.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(out);
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(said.lines()).noneMatch(l -> l.startsWith("error"));
        // the outputs are renamed (they notice and open the path anew), the engine's log copied
        // and truncated; no signal is sent
        assertThat(said)
                .contains("renaming " + logs.resolve("hello-world-events.json") + " to ")
                .contains("renaming " + logs.resolve("dragonfly-errors.log") + " to ")
                .contains("renaming " + logs.resolve("dragonfly-stats.log") + " to ")
                .contains("copying " + logs.resolve("dragonfly-mle.log") + " to ")
                .contains("truncating " + logs.resolve("dragonfly-mle.log"))
                .doesNotContain("postrotate");
        assertThat(said).doesNotContain("renaming " + logs.resolve("dragonfly-mle.log") + " to ");
    }

    @Test
    void theUnitsCommandLineStopsOnSigtermAndResumesOnTheNextStart() throws Exception {
        Path root = TestRoots.copyExample("hello-world", dir);
        Path eve = dir.resolve("eve.json");
        TestRoots.writeLines(eve, EveSamples.devLines().subList(0, 100));
        TestRoots.editConfig(
                root, "file://../data/eve-sample.jsonl", "tail://" + eve + "?start=beginning");
        TestRoots.editConfig(
                root, "redis_port = \"6379\"", "redis_port = \"" + Distribution.freePort() + "\"");
        Path logs = dir.resolve("logs");
        List<String> command =
                new ArrayList<>(List.of(execStart(unitWithPathsIn(root, logs)).split(" ")));
        assertThat(command.get(0)).isEqualTo(home.resolve("bin/dragonfly-mle").toString());
        assertThat(command).contains("-p", "--resume-if-any");
        // -p drops root to DRAGONFLY_USER; this test runs the rest as whoever runs the tests
        command.remove("-p");

        String first = startAndStop(command, logs.resolve("hello-world-events.json"), 100);
        assertThat(first)
                .contains("no retained checkpoint in")
                .contains("starting afresh")
                .contains("dragonfly-mle: stopped by SIGTERM");

        TestRoots.writeLines(eve, EveSamples.devLines().subList(0, 150));
        String second = startAndStop(command, logs.resolve("hello-world-events.json"), 150);
        assertThat(second).contains("dragonfly-mle: resuming from " + logs.resolve("checkpoints"));
        assertThat(Files.readAllLines(logs.resolve("hello-world-events.json")))
                .as("every event once across the stop")
                .hasSize(150);
    }

    /** Starts the unit's command, waits for {@code lines} lines out, stops it with SIGTERM. */
    private String startAndStop(List<String> command, Path out, int lines) throws Exception {
        Path terminal = Files.createTempFile(dir, "journal-", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(terminal.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(out) || Files.readAllLines(out).size() < lines) {
            assertThat(p.isAlive()).as(Files.readString(terminal)).isTrue();
            assertThat(System.nanoTime()).as("%d lines out", lines).isLessThan(deadline);
            Thread.sleep(50);
        }
        // a checkpoint to stop at, so that the next start has one to resume from
        while (!hasCheckpoint(out.getParent().resolve("checkpoints"))) {
            assertThat(p.isAlive()).as(Files.readString(terminal)).isTrue();
            assertThat(System.nanoTime()).as("a checkpoint").isLessThan(deadline);
            Thread.sleep(100);
        }
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped in time").isTrue();
        String said = Files.readString(terminal, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(said).isZero();
        return said;
    }

    private static boolean hasCheckpoint(Path checkpoints) throws Exception {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var files =
                Files.find(
                        checkpoints, 3, (f, a) -> f.getFileName().toString().equals("_metadata"))) {
            return files.findAny().isPresent();
        }
    }
}
