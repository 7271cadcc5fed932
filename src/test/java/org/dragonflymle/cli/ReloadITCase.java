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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dragonflymle.testutils.EngineProcess;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dragonfly-mle reload} and SIGUSR2 on a running engine that follows a file (tail://): a
 * changed script takes over with every other stage's {@code dragonfly.state} kept and no event of
 * the input lost or repeated, though events keep arriving during the switch; a broken change is
 * refused with the message a start would print, the job going on and the real Redis untouched.
 */
class ReloadITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 7;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir Path dir;

    private Path eve;
    private Path logs;
    private final AtomicInteger written = new AtomicInteger();

    @Test
    void aChangedScriptTakesOverKeepingStateAndLosingNoEvent() throws Exception {
        Path root = root("msg.version = 1");
        append(300);
        try (EngineProcess engine = EngineProcess.start(root, logs)) {
            engine.await(() -> lines("tagged.json") >= 300, WAIT, "the first 300 events");

            // events keep coming while the job switches
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = steadyWriter(writing);
            writer.start();
            TestRoots.write(root, "analyzer/tagger.lua", tagger("msg.version = 2"));
            Reply reply = reload();
            assertThat(reply.status).as(reply.text).isZero();
            assertThat(reply.text)
                    .contains(
                            "reload: analyzers[2] (tag \"tagger\"): script analyzer/tagger.lua"
                                    + " edited")
                    .contains("reload: starting analyzer/tagger.lua against a throwaway")
                    .containsPattern("reload: switched in [0-9.]+ s \\(savepoint [0-9.]+ s");
            Thread.sleep(500);
            writing.set(false);
            writer.join();
            int afterFirst = written.get();
            engine.await(
                    () -> lines("tagged.json") >= afterFirst && lines("counted.json") >= afterFirst,
                    WAIT,
                    "every event written during the switch");

            // and a second switch, by SIGUSR2 this time
            TestRoots.write(root, "analyzer/tagger.lua", tagger("msg.version = 3"));
            engine.signal("USR2");
            engine.await(
                    () -> engine.terminal().split("reload: switched in", -1).length == 3,
                    WAIT,
                    "the SIGUSR2 reload");
            append(100);
            int total = written.get();
            engine.await(
                    () -> lines("tagged.json") >= total && lines("counted.json") >= total,
                    WAIT,
                    "every event");

            assertEveryEventOnce("tagged.json", total);
            assertEveryEventOnce("counted.json", total);
            assertThat(versions()).as("versions in output order").containsExactly(1, 2, 3);
            assertCountsContinue(total);

            assertThat(engine.stop()).isZero();
            String terminal = engine.terminal();
            assertThat(terminal)
                    .as("the summary counts every job of the run")
                    .containsPattern("\n  eve +in " + String.format("%,d", total) + " ");
        }
    }

    @Test
    void aBrokenChangeIsRefusedAndTheJobGoesOn() throws Exception {
        Path root = root("msg.version = 1");
        append(100);
        try (EngineProcess engine = EngineProcess.start(root, logs)) {
            engine.await(() -> lines("tagged.json") >= 100, WAIT, "the first events");

            // a syntax error: the config loader's message, as a start prints it
            TestRoots.write(root, "analyzer/tagger.lua", tagger("msg.version = = 2"));
            Reply syntax = reload();
            String startSays = startMessage(root, "tagger.lua");
            assertThat(syntax.status).as(syntax.text).isEqualTo(2);
            assertThat(startSays).contains("analyzer/tagger.lua");
            assertThat(syntax.text)
                    .contains(startSays)
                    .contains("reload refused; the running job goes on unchanged")
                    .doesNotContain("savepoint");

            // setup() fails against Redis: checked on a throwaway server, the real one untouched
            TestRoots.write(
                    root,
                    "analyzer/tagger.lua",
                    """
                    function setup()
                      local r = assert(hiredis.connect())
                      r:command("SET", "touched-by-setup", "1")
                      error("no model in Redis")
                    end
                    function loop(msg) dragonfly.output_event(default_output, msg) end
                    """);
            Reply setup = reload();
            assertThat(setup.status).as(setup.text).isEqualTo(2);
            assertThat(setup.text)
                    .contains("dragonfly-mle: analyzer/tagger.lua:4: no model in Redis")
                    .contains("reload refused");
            assertThat(REDIS.jedis().exists("touched-by-setup")).isFalse();
            assertThat(setup.text)
                    .as("the message a start gives")
                    .contains(startMessage(root, "tagger.lua"));

            // the old version still runs
            append(50);
            engine.await(() -> lines("tagged.json") >= 150, WAIT, "events after the refusals");
            assertEveryEventOnce("tagged.json", 150);
            assertThat(versions()).containsExactly(1);

            // a config.lua that no longer loads
            TestRoots.write(root, "analyzer/tagger.lua", tagger("msg.version = 2"));
            TestRoots.appendConfig(root, "analyzers[3] = { tag = \"count\", script = \"x.lua\" }");
            Reply config = reload();
            assertThat(config.status).as(config.text).isEqualTo(2);
            assertThat(config.text)
                    .contains(startMessage(root, "config.lua"))
                    .contains("reload refused");
            assertThat(engine.isAlive()).isTrue();
        }
    }

    @Test
    void reloadWithoutAnEngineSaysSo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                ReloadCommand.run(
                        new String[] {"-l", dir.resolve("nothing").toString()},
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no engine runs with LOGDIR " + dir.resolve("nothing"));
    }

    // ---- the root, its input and outputs ----

    private Path root(String taggerLine) throws IOException {
        eve = dir.resolve("eve.json");
        Files.createFile(eve);
        logs = dir.resolve("logs");
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                inputs = {
                  { tag="eve", uri="tail://%s?start=beginning", script="split.lua" },
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
                        .formatted(REDIS.port(), eve));
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
        TestRoots.write(root, "analyzer/tagger.lua", tagger(taggerLine));
        return root;
    }

    private static String tagger(String line) {
        return "function loop(msg)\n  "
                + line
                + "\n  dragonfly.output_event(default_output, msg)\nend\n";
    }

    /** Appends {@code n} events: seq counts up, src_ip cycles over {@value #KEYS} hosts. */
    private void append(int n) throws IOException {
        try (Writer w =
                Files.newBufferedWriter(eve, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (int i = 0; i < n; i++) {
                int seq = written.getAndIncrement();
                w.write(
                        "{\"event_type\":\"dns\",\"seq\":"
                                + seq
                                + ",\"src_ip\":\"10.0.0."
                                + seq % KEYS
                                + "\"}\n");
            }
        }
    }

    /** About 400 events a second until {@code writing} is cleared. */
    private Thread steadyWriter(AtomicBoolean writing) {
        return new Thread(
                () -> {
                    try {
                        while (writing.get()) {
                            append(4);
                            Thread.sleep(10);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "eve writer");
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

    /** The line a start of {@code root} prints about its problem (exit status 2). */
    private String startMessage(Path root, String about) {
        Launcher.Result r = Launcher.run(root, dir.resolve("start-logs"), "--www-port=-1");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        return r.stderr()
                .lines()
                .filter(l -> l.startsWith("dragonfly-mle: ") && l.contains(about))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no line about " + about + ":\n" + r.stderr()));
    }

    private List<JsonNode> output(String name) {
        List<JsonNode> events = new ArrayList<>();
        Path file = logs.resolve(name);
        if (!Files.exists(file)) {
            return events;
        }
        try {
            String text = Files.readString(file);
            int end = text.lastIndexOf('\n'); // a line being written is not complete yet
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

    private int lines(String name) {
        return output(name).size();
    }

    private void assertEveryEventOnce(String name, int total) {
        List<Integer> seqs = output(name).stream().map(e -> e.get("seq").asInt()).sorted().toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add(i);
        }
        assertThat(seqs).as(name + ": every event exactly once").isEqualTo(expected);
    }

    /** The versions of tagger.lua in the order their events came out, each once. */
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

    /** Per host, the counts go 1, 2, 3, … across both reloads: no state was lost. */
    private void assertCountsContinue(int total) {
        Map<String, List<Integer>> byHost = new LinkedHashMap<>();
        for (JsonNode e : output("counted.json")) {
            byHost.computeIfAbsent(e.get("src_ip").asText(), k -> new ArrayList<>())
                    .add(e.get("n").asInt());
        }
        assertThat(byHost).hasSize(KEYS);
        int sum = 0;
        for (Map.Entry<String, List<Integer>> h : byHost.entrySet()) {
            List<Integer> n = h.getValue();
            for (int i = 0; i < n.size(); i++) {
                assertThat(n.get(i)).as(h.getKey() + " count " + (i + 1)).isEqualTo(i + 1);
            }
            sum += n.size();
        }
        assertThat(sum).isEqualTo(total);
    }
}
