package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay every IDS pipeline meets sooner or later: real events mixed with malformed JSON,
 * invalid UTF-8, a 3 MB line, 200,000-deep nesting, binary garbage, an event whose analyzer raises
 * an error, one that loops forever and one that allocates without bound. The job finishes, every
 * good event comes out once, every bad one is in the error output with its reason.
 */
class BadInputReplayITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void everyGoodEventOnceEveryBadOneExplained() throws Exception {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(
                root,
                "redis_port = "
                        + REDIS.port()
                        + "\nlimits = { max_event_bytes = 1048576, loop_budget_ms = 200 }");
        TestRoots.write(
                root,
                "analyzer/pass.lua",
                """
                function loop(msg)
                  if msg.poison == "error" then error("poisoned event") end
                  if msg.poison == "spin" then while true do end end
                  if msg.poison == "bomb" then local s = string.rep("x", 2000000000) end
                  dragonfly.output_event(default_output, msg)
                end
                """);
        List<String> good = EveSamples.devLines().subList(0, 3_000);
        Path input = dir.resolve("data/eve-sample.jsonl");
        Files.createDirectories(input.getParent());
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < good.size(); i++) {
                line(out, good.get(i).getBytes(StandardCharsets.UTF_8));
                switch (i) {
                    case 100 ->
                            line(
                                    out,
                                    "{\"event_type\":\"dns\",\"dns\":{"
                                            .getBytes(StandardCharsets.UTF_8));
                    case 200 ->
                            line(
                                    out,
                                    new byte[] {
                                        '{', '"', 'x', '"', ':', '"', (byte) 0xc3, '(', '"', '}'
                                    });
                    case 300 ->
                            line(
                                    out,
                                    ("{\"pad\":\"" + "a".repeat(3 << 20) + "\"}")
                                            .getBytes(StandardCharsets.UTF_8));
                    case 400 ->
                            line(
                                    out,
                                    ("[".repeat(200_000) + "]".repeat(200_000))
                                            .getBytes(StandardCharsets.UTF_8));
                    case 500 ->
                            line(
                                    out,
                                    new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 'P', 'K', 3, 4});
                    case 600 ->
                            line(out, "{\"poison\":\"error\"}".getBytes(StandardCharsets.UTF_8));
                    case 700 -> line(out, "{\"poison\":\"spin\"}".getBytes(StandardCharsets.UTF_8));
                    case 800 -> line(out, "{\"poison\":\"bomb\"}".getBytes(StandardCharsets.UTF_8));
                    case 900 -> line(out, new byte[0]);
                    default -> {}
                }
            }
        }

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> out = TestRoots.readLines(dir.resolve("logs/passthrough.json"));
        assertThat(out).as("good events out").filteredOn(l -> !good.contains(l)).isEmpty();
        assertThat(out).as("good events out").hasSameSizeAs(good);
        for (int i = 0; i < good.size(); i++) {
            assertThat(out.get(i)).as("good event %d", i).isEqualTo(good.get(i));
        }
        List<String> reasons = new ArrayList<>();
        List<String> scriptErrors = new ArrayList<>();
        for (String line : TestRoots.readLines(dir.resolve("logs/dragonfly-errors.log"))) {
            JsonNode e = JSON.readTree(line);
            reasons.add(e.get("reason").asText());
            if (e.get("reason").asText().equals("script_error")) {
                scriptErrors.add(e.get("error").asText());
                assertThat(e.get("event").get("poison")).isNotNull();
            }
            assertThat(line.length()).isLessThan(10_000);
        }
        // the error output is fed by both stages, so only the order within a stage is fixed
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        "malformed_json",
                        "invalid_utf8",
                        "oversized",
                        "too_deep",
                        "malformed_json",
                        "script_error",
                        "script_error",
                        "script_error");
        assertThat(scriptErrors)
                .satisfiesExactly(
                        e ->
                                assertThat(e)
                                        .contains("analyzer/pass.lua:2")
                                        .contains("poisoned event"),
                        e -> assertThat(e).contains("budget of 200 ms"),
                        e ->
                                assertThat(e)
                                        .contains("analyzer/pass.lua:4")
                                        .contains("not enough memory"));
    }

    private static void line(OutputStream out, byte[] bytes) throws Exception {
        out.write(bytes);
        out.write('\n');
    }
}
