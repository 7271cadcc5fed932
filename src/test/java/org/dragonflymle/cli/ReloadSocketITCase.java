package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.dragonflymle.testutils.EngineProcess;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A reload of an engine whose input is an {@code ipc://} socket, with a datagram writer sending
 * throughout: the socket stays bound across the switch (every send succeeds, the file never goes
 * away), and every datagram comes out exactly once, with the keyed state of the unchanged stage
 * carried on.
 */
class ReloadSocketITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int KEYS = 5;

    @TempDir Path dir;

    private Path logs;
    private Path sock;
    private final AtomicInteger sent = new AtomicInteger();

    @Test
    void theSocketStaysBoundAndNoDatagramIsLostOrRepeated() throws Exception {
        Path root = root();
        try (EngineProcess engine = EngineProcess.start(root, logs)) {
            engine.await(() -> Files.exists(sock), WAIT, "the socket");
            try (AFUNIXDatagramChannel writer = AFUNIXDatagramChannel.open()) {
                writer.connect(AFUNIXSocketAddress.of(sock));
                send(writer, 200);
                engine.await(() -> lines("tagged.json") >= 200, WAIT, "the first datagrams");

                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicReference<Throwable> failed = new AtomicReference<>();
                AtomicBoolean socketMissing = new AtomicBoolean();
                Thread steady =
                        new Thread(
                                () -> {
                                    try {
                                        while (writing.get()) {
                                            send(writer, 2);
                                            if (!Files.exists(sock)) {
                                                socketMissing.set(true);
                                            }
                                            Thread.sleep(4);
                                        }
                                    } catch (Throwable t) {
                                        failed.set(t);
                                    }
                                },
                                "datagram writer");
                steady.start();
                TestRoots.write(root, "analyzer/tagger.lua", tagger(2));
                Reply reply = reload();
                Thread.sleep(500);
                writing.set(false);
                steady.join();
                assertThat(reply.status).as(reply.text).isZero();
                assertThat(failed.get()).as("every send succeeded").isNull();
                assertThat(socketMissing).as("the socket file never went away").isFalse();

                send(writer, 100);
                int total = sent.get();
                engine.await(
                        () -> lines("tagged.json") >= total && lines("counted.json") >= total,
                        WAIT,
                        "every datagram");
                assertEveryDatagramOnce("tagged.json", total);
                assertEveryDatagramOnce("counted.json", total);
                assertCountsContinue();
                assertThat(versions()).containsExactly(1, 2);
            }
            assertThat(engine.stop()).isZero();
            assertThat(Files.readString(logs.resolve("dragonfly-mle.log")))
                    .contains("socket kept bound for the next job")
                    .contains("socket taken over from the previous job")
                    .doesNotContain("dropped since start");
            assertThat(sock).as("removed when the engine stops").doesNotExist();
        }
    }

    private Path root() throws IOException {
        logs = dir.resolve("logs");
        sock = dir.resolve("eve.sock");
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                inputs = {
                  { tag="eve", uri="ipc://%s", script="split.lua" },
                }
                analyzers = {
                  { tag="count", script="count.lua", key="src_ip", default_output="counted" },
                  { tag="tagger", script="tagger.lua", default_output="tagged" },
                }
                outputs = {
                  { tag="counted", uri="file://counted.json" },
                  { tag="tagged", uri="file://tagged.json" },
                }
                """
                        .formatted(REDIS.port(), sock));
        TestRoots.write(
                root,
                "filter/split.lua",
                """
                function loop(msg)
                  dragonfly.analyze_event("count", msg)
                  dragonfly.analyze_event("tagger", msg)
                end
                """);
        TestRoots.write(
                root,
                "analyzer/count.lua",
                """
                function loop(msg)
                  msg.n = dragonfly.state.incr("events")
                  dragonfly.output_event(default_output, msg)
                end
                """);
        TestRoots.write(root, "analyzer/tagger.lua", tagger(1));
        return root;
    }

    private static String tagger(int version) {
        return "function loop(msg)\n  msg.version = "
                + version
                + "\n  dragonfly.output_event(default_output, msg)\nend\n";
    }

    private void send(AFUNIXDatagramChannel writer, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            int seq = sent.getAndIncrement();
            String line =
                    "{\"event_type\":\"dns\",\"seq\":"
                            + seq
                            + ",\"src_ip\":\"10.0.0."
                            + seq % KEYS
                            + "\"}\n";
            writer.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private record Reply(int status, String text) {}

    private Reply reload() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                ReloadCommand.run(
                        new String[] {"-l", logs.toString()},
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Reply(status, err.toString(StandardCharsets.UTF_8));
    }

    private List<JsonNode> output(String name) {
        List<JsonNode> events = new ArrayList<>();
        Path file = logs.resolve(name);
        if (!Files.exists(file)) {
            return events;
        }
        try {
            String text = Files.readString(file);
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    private int lines(String name) {
        return output(name).size();
    }

    private void assertEveryDatagramOnce(String name, int total) {
        List<Integer> seqs = output(name).stream().map(e -> e.get("seq").asInt()).sorted().toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add(i);
        }
        assertThat(seqs).as(name + ": every datagram exactly once").isEqualTo(expected);
    }

    private List<Integer> versions() {
        List<Integer> seen = new ArrayList<>();
        for (JsonNode e : output("tagged.json")) {
            int v = e.get("version").asInt();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != v) {
                seen.add(v);
            }
        }
        return seen;
    }

    /** Per host the counts go 1, 2, 3, … across the reload. */
    private void assertCountsContinue() {
        java.util.Map<String, List<Integer>> byHost = new java.util.LinkedHashMap<>();
        for (JsonNode e : output("counted.json")) {
            byHost.computeIfAbsent(e.get("src_ip").asText(), k -> new ArrayList<>())
                    .add(e.get("n").asInt());
        }
        assertThat(byHost).hasSize(KEYS);
        byHost.forEach(
                (host, n) -> {
                    for (int i = 0; i < n.size(); i++) {
                        assertThat(n.get(i)).as(host + " count " + (i + 1)).isEqualTo(i + 1);
                    }
                });
    }
}
