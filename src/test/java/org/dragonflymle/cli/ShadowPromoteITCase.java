package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.testutils.EngineProcess;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow on a running engine, then {@code dragonfly-mle reload --promote TAG}: the shadow's
 * script becomes the live one with the analyzer's {@code dragonfly.state} kept, no event lost or
 * repeated, and a later plain reload keeps the promotion and says so.
 */
class ShadowPromoteITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir Path dir;

    private Path eve;
    private Path logs;
    private int written;

    private static String counter(int version) {
        return "function loop(msg)\n  msg.n = dragonfly.state.incr(\"events\")\n  msg.version = "
                + version
                + "\n  dragonfly.output_event(default_output, msg)\nend\n";
    }

    @Test
    void aPromotedShadowGoesLiveKeepingStateAndAPlainReloadKeepsIt() throws Exception {
        eve = dir.resolve("eve.json");
        Files.createFile(eve);
        logs = dir.resolve("logs");
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                inputs = { { tag="eve", uri="tail://%s?start=beginning", script="eve.lua",
                             default_analyzer="count" } }
                analyzers = {
                  { tag="count", script="count.lua", key="src_ip", default_output="counted",
                    shadow={ script="count-v2.lua" } },
                }
                outputs = { { tag="counted", uri="file://counted.json" } }
                """
                        .formatted(REDIS.port(), eve));
        TestRoots.write(
                root,
                "filter/eve.lua",
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        TestRoots.write(root, "analyzer/count.lua", counter(1));
        TestRoots.write(root, "analyzer/count-v2.lua", counter(2));
        append(100);
        try (EngineProcess engine = EngineProcess.start(root, logs)) {
            engine.await(() -> output("counted.json").size() >= 100, WAIT, "the first events");
            engine.await(
                    () -> output("shadow-count.json").size() >= 100, WAIT, "the shadow's diff");
            assertThat(output("shadow-count.json"))
                    .allMatch(d -> d.at("/fields/0/changed/version/shadow").asInt() == 2)
                    .allMatch(d -> d.at("/fields/0/changed").size() == 1);

            Reply nope = reload("--promote", "nope");
            assertThat(nope.status).as(nope.text).isEqualTo(2);
            assertThat(nope.text).contains("no analyzer \"nope\"");

            Reply promote = reload("--promote", "count");
            assertThat(promote.status).as(promote.text).isZero();
            assertThat(promote.text)
                    .contains("runs analyzer/count-v2.lua, promoted from its shadow (an override")
                    .contains("the shadow of \"count\" (analyzer/count-v2.lua) removed")
                    .contains("reload: switched in");
            append(100);
            engine.await(() -> output("counted.json").size() >= 200, WAIT, "events after it");

            Reply plain = reload();
            assertThat(plain.status).as(plain.text).isZero();
            assertThat(plain.text)
                    .contains("runs analyzer/count-v2.lua, promoted from its shadow")
                    .contains("nothing changed");
            append(50);
            engine.await(() -> output("counted.json").size() >= 250, WAIT, "the last events");
            assertThat(engine.stop()).isZero();
        }
        List<JsonNode> out = output("counted.json");
        assertThat(out).hasSize(250);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).get("seq").asInt()).isEqualTo(i);
            // per host the count goes on across the promotion: the state was kept
            assertThat(out.get(i).get("n").asInt()).isEqualTo(i / 5 + 1);
            assertThat(out.get(i).get("version").asInt()).isEqualTo(i < 100 ? 1 : 2);
        }
    }

    private void append(int n) throws IOException {
        try (Writer w =
                Files.newBufferedWriter(eve, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (int i = 0; i < n; i++) {
                int seq = written++;
                w.write("{\"seq\":" + seq + ",\"src_ip\":\"10.0.0." + seq % 5 + "\"}\n");
            }
        }
    }

    private record Reply(int status, String text) {}

    private Reply reload(String... args) {
        List<String> all = new ArrayList<>(List.of("-l", logs.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                ReloadCommand.run(
                        all.toArray(new String[0]),
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
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}
