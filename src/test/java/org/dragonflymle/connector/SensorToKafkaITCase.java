package org.dragonflymle.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.graph.JobGenerator;
import org.dragonflymle.testutils.Await;
import org.dragonflymle.testutils.KafkaBroker;
import org.dragonflymle.testutils.KafkaBrokerExtension;
import org.dragonflymle.testutils.Suricata;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor end to end, with real peers only: the real Suricata writes eve.json (followed by a
 * {@code tail://} input) and sends EVE over {@code unix_dgram} into an {@code ipc://} input; the
 * engine (passthrough scripts) writes to a real Kafka broker. Across a rotation of eve.json and a
 * stop with a savepoint and resume from it, a {@code read_committed} consumer sees every event
 * once.
 *
 * <p>What is expected: for tail://, the lines the Suricata runs wrote to eve.json (exactly, with
 * their flow ids); for ipc://, what Suricata writes to a regular eve.json for the same capture in
 * another run (flow ids are random per run, so they are left out there, and the stats record only
 * counts). A socket keeps nothing across a stop (at-most-once, documented), so Suricata sends to
 * the ipc:// input only while the engine runs and everything it sent is awaited before the stop.
 */
@Timeout(240)
class SensorToKafkaITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final ObjectMapper EXACT =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "sensor-out";

    @TempDir Path dir;

    @Test
    void suricataEventsViaTailAndIpcReachKafkaOnceAcrossRotationAndSavepointRestart()
            throws Exception {
        Suricata.assumeInstalled();
        Path dns = Suricata.pcap("dns.pcap");
        Path http = Suricata.pcap("http.pcap");
        KafkaBroker broker = KAFKA.broker();
        broker.createTopic(TOPIC, 1);

        Path sensor = Files.createDirectories(dir.resolve("suricata"));
        Path eve = sensor.resolve("eve.json");
        Path sock = dir.resolve("eve.sock");
        Path root = root(eve, sock, broker);
        Path logs = dir.resolve("logs");

        // what Suricata sends over the socket, as a regular file from other runs of it
        Process refDns = Suricata.start(dns, dir.resolve("ref-dns"), "regular", "eve.json");
        Process refHttp = Suricata.start(http, dir.resolve("ref-http"), "regular", "eve.json");
        Suricata.awaitSuccess(refDns, dir.resolve("ref-dns"));
        Suricata.awaitSuccess(refHttp, dir.resolve("ref-http"));
        List<String> ipcExpected = new ArrayList<>();
        ipcExpected.addAll(Files.readAllLines(dir.resolve("ref-dns/eve.json")));
        ipcExpected.addAll(Files.readAllLines(dir.resolve("ref-http/eve.json")));
        List<String> tailExpected = new ArrayList<>();

        // first run: Suricata writes eve.json and sends to the socket at the same time
        JobClient first = start(root, logs, null);
        String savepoint;
        try {
            Await.until(() -> Files.exists(sock), WAIT, () -> sock + " was not created");
            Process toFile = Suricata.start(dns, sensor, "regular", "eve.json");
            Process toSocket =
                    Suricata.start(dns, dir.resolve("ipc-dns"), "unix_dgram", sock.toString());
            Suricata.awaitSuccess(toFile, sensor);
            Suricata.awaitSuccess(toSocket, dir.resolve("ipc-dns"));
            int dnsLines = Files.readAllLines(eve).size();
            // everything sent over the socket is in before the stop (a socket cannot replay)
            int firstRun = dnsLines + Files.readAllLines(dir.resolve("ref-dns/eve.json")).size();
            broker.awaitCommitted(TOPIC, out -> out.size() >= firstRun, WAIT);
            savepoint =
                    first.stopWithSavepoint(
                                    false,
                                    dir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
            first.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            first.cancel();
            throw e;
        }

        // while the engine is down: Suricata appends another capture, then eve.json is rotated
        Suricata.awaitSuccess(Suricata.start(http, sensor, "regular", "eve.json"), sensor);
        Files.move(eve, sensor.resolve("eve.json.1"));
        tailExpected.addAll(Files.readAllLines(sensor.resolve("eve.json.1")));

        // resumed from the savepoint: the rest of the rotated file, then a new eve.json and socket
        JobClient second = start(root, logs, savepoint);
        List<String> output;
        try {
            Await.until(() -> Files.exists(sock), WAIT, () -> sock + " was not re-created");
            Process toFile = Suricata.start(dns, sensor, "regular", "eve.json");
            Process toSocket =
                    Suricata.start(http, dir.resolve("ipc-http"), "unix_dgram", sock.toString());
            Suricata.awaitSuccess(toFile, sensor);
            Suricata.awaitSuccess(toSocket, dir.resolve("ipc-http"));
            tailExpected.addAll(Files.readAllLines(eve));
            int total = tailExpected.size() + ipcExpected.size();
            broker.awaitCommitted(TOPIC, out -> out.size() >= total, WAIT);
            Thread.sleep(2000); // nothing more may come
            output = broker.readCommitted(TOPIC);
        } finally {
            second.cancel().get(60, TimeUnit.SECONDS);
            second.getJobExecutionResult().handle((r, e) -> null).get(60, TimeUnit.SECONDS);
        }

        System.out.printf(
                "suricata -> tail:// + ipc:// -> kafka: %d records committed, %d expected (%d"
                        + " eve.json lines, %d sent over the socket)%n",
                output.size(),
                tailExpected.size() + ipcExpected.size(),
                tailExpected.size(),
                ipcExpected.size());
        assertThat(tailExpected).hasSizeGreaterThan(400);
        assertThat(output).hasSize(tailExpected.size() + ipcExpected.size());

        // every eve.json line exactly (flow ids included) once; what is left came over the socket
        Map<String, Integer> remaining = new HashMap<>();
        for (String line : output) {
            remaining.merge(canonical(line), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        for (String line : tailExpected) {
            String key = canonical(line);
            Integer n = remaining.get(key);
            if (n == null) {
                missing.add(line);
            } else if (n == 1) {
                remaining.remove(key);
            } else {
                remaining.put(key, n - 1);
            }
        }
        assertThat(missing).as("eve.json lines not in Kafka").isEmpty();
        List<String> fromSocket = new ArrayList<>();
        remaining.forEach(
                (line, n) -> {
                    for (int i = 0; i < n; i++) {
                        fromSocket.add(line);
                    }
                });
        assertThat(withoutFlowIds(fromSocket)).isEqualTo(withoutFlowIds(ipcExpected));
        Path errors = logs.resolve("dragonfly-errors.log");
        assertThat(errors)
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    /** passthrough (filter → analyzer → output) with a tail:// and an ipc:// input, to Kafka. */
    private Path root(Path eve, Path sock, KafkaBroker broker) {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = {
                  { tag="eve", uri="tail://%s?start=beginning", script="pass-filter.lua",
                    default_analyzer="pass" },
                  { tag="ipc", uri="ipc://%s", script="pass-filter.lua",
                    default_analyzer="pass" },
                }
                analyzers = {
                  { tag="pass", script="pass.lua", default_analyzer="", default_output="out" },
                }
                outputs = {
                  { tag="out", uri="kafka://%s/%s" },
                }
                """
                        .formatted(eve, sock, broker.bootstrapServers(), TOPIC));
        return root;
    }

    /** The engine's job for {@code root}, as the launcher builds it, checkpointing every 500 ms. */
    private JobClient start(Path root, Path logs, String savepoint) throws Exception {
        PipelineSpec spec = ConfigLoader.load(root, logs);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        return env.executeAsync("dragonfly-mle " + root);
    }

    /** An event as JSON with its keys sorted (the engine need not keep Suricata's key order). */
    private static String canonical(String line) throws Exception {
        return EXACT.writeValueAsString(EXACT.readValue(line, Object.class));
    }

    /** Sorted canonical events without flow ids; a stats record counted by its type only. */
    @SuppressWarnings("unchecked")
    private static List<String> withoutFlowIds(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Map<String, Object> event = EXACT.readValue(line, Map.class);
            event.remove("flow_id");
            out.add(
                    "stats".equals(event.get("event_type"))
                            ? "stats"
                            : EXACT.writeValueAsString(event));
        }
        Collections.sort(out);
        return out;
    }
}
