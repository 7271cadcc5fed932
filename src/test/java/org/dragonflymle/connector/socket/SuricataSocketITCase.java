package org.dragonflymle.connector.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.testutils.Await;
import org.dragonflymle.testutils.LineListener;
import org.dragonflymle.testutils.RunningEngine;
import org.dragonflymle.testutils.Suricata;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Suricata 7 writing EVE straight into the engine's sockets, the engine passing every
 * event through to a socket output. What arrives is compared with what the same Suricata writes to
 * a regular eve.json for the same capture (flow ids are random per run, so they are left out of the
 * comparison; everything else must be equal).
 */
@Timeout(300)
class SuricataSocketITCase {

    private static final ObjectMapper EXACT =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path dir;

    private Path pcap;
    private List<String> reference;

    @BeforeEach
    void suricataWritesTheReferenceToAFile() throws Exception {
        Suricata.assumeInstalled();
        pcap = Suricata.pcap("dns.pcap");
        reference = Suricata.eveJson(pcap, dir.resolve("reference"));
        assertThat(reference).hasSize(164); // 161 dns, 2 flow, 1 stats
    }

    /** The passthrough example reading {@code input} and writing to {@code output}. */
    private Path root(String input, String output) {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.editConfig(root, "file://../data/eve-sample.jsonl", input);
        TestRoots.editConfig(root, "file://passthrough.json", output);
        return root;
    }

    @Test
    void everyEventSuricataSendsToAnIpcInputComesOut() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        try (LineListener listener = LineListener.stream(out);
                RunningEngine engine =
                        RunningEngine.start(
                                root("ipc://" + in, "unix://" + out),
                                dir.resolve("logs"),
                                new Configuration())) {
            Await.until(() -> Files.exists(in), WAIT, () -> in + " was not created");

            Path run = dir.resolve("run");
            Suricata.awaitSuccess(Suricata.start(pcap, run, "unix_dgram", in.toString()), run);

            List<String> got = listener.awaitLines(reference.size(), WAIT);
            Thread.sleep(500); // nothing more may come
            System.out.printf(
                    "suricata unix_dgram -> ipc:// -> unix://: %d events out, %d in eve.json%n",
                    listener.lines().size(), reference.size());
            assertThat(listener.lines()).hasSize(reference.size());
            assertThat(comparable(got)).isEqualTo(comparable(reference));
        }
        assertThat(in).as("the input socket is removed when the job ends").doesNotExist();
        assertNoErrorRecords();
    }

    @Test
    void threeSuricatasWritingToOneUnixInputAtOnceLoseNothing() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        int writers = 3;
        try (LineListener listener = LineListener.datagram(out);
                RunningEngine engine =
                        RunningEngine.start(
                                root("unix://" + in, "ipc://" + out),
                                dir.resolve("logs"),
                                new Configuration())) {
            Await.until(() -> Files.exists(in), WAIT, () -> in + " was not created");

            List<Process> suricatas = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                suricatas.add(
                        Suricata.start(pcap, dir.resolve("run" + i), "unix_stream", in.toString()));
            }
            for (int i = 0; i < writers; i++) {
                Suricata.awaitSuccess(suricatas.get(i), dir.resolve("run" + i));
            }

            List<String> got = listener.awaitLines(writers * reference.size(), WAIT);
            Thread.sleep(500);
            System.out.printf(
                    "%d x suricata unix_stream -> unix:// -> ipc://: %d events out, %d x %d in"
                            + " eve.json%n",
                    writers, listener.lines().size(), writers, reference.size());
            assertThat(listener.lines()).hasSize(writers * reference.size());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                expected.addAll(comparable(reference));
            }
            Collections.sort(expected);
            assertThat(comparable(got)).isEqualTo(expected);
        }
        assertNoErrorRecords();
    }

    /**
     * Each event as canonical JSON without its flow id, sorted; the stats record is counted but its
     * counters (uptime, memory) differ from run to run, so only its type is kept.
     */
    private static List<String> comparable(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            ObjectNode event = (ObjectNode) EXACT.readTree(line);
            event.remove("flow_id");
            if (event.path("event_type").asText().equals("stats")) {
                out.add("stats");
            } else {
                out.add(EXACT.writeValueAsString(event));
            }
        }
        Collections.sort(out);
        return out;
    }

    private void assertNoErrorRecords() {
        Path errors = dir.resolve("logs/dragonfly-errors.log");
        assertThat(errors)
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }
}
