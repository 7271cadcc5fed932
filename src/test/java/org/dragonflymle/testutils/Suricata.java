package org.dragonflymle.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.os.Executables;

/**
 * The real Suricata IDS (installed by scripts/install-suricata) reading a bundled capture offline
 * and writing EVE to a file, or into a socket of the engine. Tests that need it {@link
 * #assumeInstalled() skip} when it is not on PATH.
 */
public final class Suricata {

    private Suricata() {}

    /** Skips the calling test, saying why, when there is no suricata on PATH. */
    public static void assumeInstalled() {
        assumeTrue(
                Executables.find("suricata") != null,
                "suricata is not on PATH: install it with scripts/install-suricata (Debian"
                        + " bookworm-backports) to run the tests against the real Suricata");
    }

    /** A capture bundled under src/test/resources/pcap (from OISF suricata-verify, MIT). */
    public static Path pcap(String name) {
        try {
            return Path.of(Suricata.class.getResource("/pcap/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts Suricata on {@code pcap}, EVE as {@code filetype} to {@code filename}. */
    public static Process start(Path pcap, Path logDir, String filetype, String filename) {
        List<String> command = new ArrayList<>();
        command.addAll(
                List.of(
                        "suricata",
                        "-r",
                        pcap.toString(),
                        "-k",
                        "none",
                        "--runmode",
                        "single",
                        "-l",
                        logDir.toString(),
                        // several may run at once: no command socket to share
                        "--set",
                        "unix-command.enabled=no",
                        "--set",
                        "outputs.1.eve-log.filetype=" + filetype,
                        "--set",
                        "outputs.1.eve-log.filename=" + filename));
        try {
            Files.createDirectories(logDir);
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logDir.resolve("suricata.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a Suricata run to end and checks that it succeeded. */
    public static void awaitSuccess(Process p, Path logDir) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("suricata finished").isTrue();
        assertThat(p.exitValue())
                .as("suricata exit status; its output: %s", logDir.resolve("suricata.out"))
                .isZero();
    }

    /** What Suricata writes for {@code pcap} to a regular eve.json: the reference. */
    public static List<String> eveJson(Path pcap, Path logDir) throws Exception {
        Process p = start(pcap, logDir, "regular", "eve.json");
        awaitSuccess(p, logDir);
        return Files.readAllLines(logDir.resolve("eve.json"));
    }
}
