package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code concurrency = N} on a real MiniCluster and redis-server: several Lua states per instance,
 * their Redis commands pipelined on one connection, and still output order, per-key order,
 * exactly-once {@code dragonfly.state} and per-event errors.
 */
class ConcurrentStageITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path root(String analyzerEntry, String script, String limits) {
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                redis_port = %d
                %s
                inputs = {
                  { tag="eve", uri="file://%s", script="filter.lua", default_analyzer="a" },
                }
                analyzers = {
                  { tag="a", script="a.lua", %s default_analyzer="", default_output="out" },
                }
                outputs = { { tag="out", uri="file://out.json" } }
                """
                        .formatted(REDIS.port(), limits, dir.resolve("in.jsonl"), analyzerEntry));
        TestRoots.write(
                root,
                "filter/filter.lua",
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        TestRoots.write(root, "analyzer/a.lua", script);
        return root;
    }

    /** A server-side busy loop: this event's reply comes late, others' pass it in Redis. */
    private static final String SLOW_EVAL =
            "redis:command('EVAL', 'local i = 0 while i < 30000 do i = i + 1 end return i', 0)";

    private List<String> input(int n, int keys) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("{\"seq\":" + i + ",\"k\":\"k" + (i % keys) + "\"}");
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), lines);
        return lines;
    }

    private List<JsonNode> output() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : TestRoots.readLines(dir.resolve("logs/out.json"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void outputOrderIsInputOrderWhateverEachEventsRedisLatency() throws Exception {
        Path root =
                root(
                        "concurrency=8,",
                        """
                        local redis
                        function setup() redis = hiredis.connect() end
                        function loop(msg)
                          if msg.seq %% 7 == 3 then %s end
                          if msg.seq %% 11 == 5 then
                            local t = os.clock() while os.clock() - t < 0.002 do end
                          end
                          local n = redis:command("INCR", "events")
                          dragonfly.output_event(default_output, {seq = msg.seq, n = n})
                        end
                        """
                                .formatted(SLOW_EVAL),
                        "");
        List<String> in = input(3_000, 1);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<Integer> seqs = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (JsonNode e : output()) {
            seqs.add(e.get("seq").asInt());
            counts.add(e.get("n").asInt());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            expected.add(i);
        }
        assertThat(seqs).isEqualTo(expected);
        assertThat(REDIS.jedis().get("events")).isEqualTo("3000");
        // the INCRs of different events interleaved: some event saw a count out of input order
        assertThat(counts)
                .as("Redis side effects of different events overlap")
                .isNotEqualTo(expected.stream().map(i -> i + 1).toList());
    }

    @Test
    void aKeyedStageNeverRunsTwoEventsOfOneKeyAtOnce() throws Exception {
        // GET then SET of the key's last seq, with a slow command in between for some events: two
        // events of one key in flight at once would read the same "last" and break the chain
        Path root =
                root(
                        "key=\"k\", concurrency=8,",
                        """
                        local redis
                        function setup() redis = hiredis.connect() end
                        function loop(msg)
                          local last = redis:command("GET", "last:" .. msg.k)
                          if msg.seq %% 5 == 1 then %s end
                          redis:command("SET", "last:" .. msg.k, msg.seq)
                          local n = dragonfly.state.incr("n")
                          dragonfly.output_event(default_output,
                              {k = msg.k, seq = msg.seq, last = tonumber(last) or -1, n = n})
                        end
                        """
                                .formatted(SLOW_EVAL),
                        "");
        List<String> in = input(4_000, 5);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<JsonNode> out = output();
        assertThat(out).hasSize(in.size());
        Map<String, Integer> lastSeq = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode e : out) {
            String k = e.get("k").asText();
            assertThat(e.get("last").asInt())
                    .as("event %s of key %s", e.get("seq"), k)
                    .isEqualTo(lastSeq.getOrDefault(k, -1));
            lastSeq.put(k, e.get("seq").asInt());
            count.merge(k, 1, Integer::sum);
            assertThat(e.get("n").asInt()).isEqualTo(count.get(k));
        }
    }

    @Test
    void errorsAndBudgetOverrunsCostTheirOwnEventsOnly() throws Exception {
        Path root =
                root(
                        "concurrency=4,",
                        """
                        local redis
                        function setup() redis = hiredis.connect() end
                        function loop(msg)
                          redis:command("INCR", "events")
                          if msg.seq % 50 == 3 then error("boom " .. msg.seq) end
                          if msg.seq % 100 == 7 then while true do end end
                          dragonfly.output_event(default_output, {seq = msg.seq})
                        end
                        """,
                        "limits = { loop_budget_ms = 100 }");
        List<String> in = input(1_000, 1);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (i % 50 != 3 && i % 100 != 7) {
                expected.add(i);
            }
        }
        assertThat(output().stream().map(e -> e.get("seq").asInt()).toList()).isEqualTo(expected);
        Map<Integer, String> errors = new LinkedHashMap<>();
        for (String line : TestRoots.readLines(dir.resolve("logs/dragonfly-errors.log"))) {
            JsonNode e = JSON.readTree(line);
            errors.put(e.get("event").get("seq").asInt(), e.get("error").asText());
        }
        assertThat(errors).hasSize(in.size() - expected.size());
        assertThat(errors.get(3)).contains("boom 3");
        assertThat(errors.get(7)).contains("longer than its budget of 100 ms");
    }

    @Test
    void eventsWithManyRedisCallsBesideEventsWithNoneKeepOrderAndCountEveryCall() throws Exception {
        // hostile mix: every 10th event makes 60 calls (40 INCRs one by one, 20 appended and read
        // back), the others none; each event must see its own replies in order, the output must
        // stay in input order, and the stage's stats must count every call once
        Path root =
                root(
                        "concurrency=8,",
                        """
                        local redis
                        function setup() redis = hiredis.connect() end
                        function loop(msg)
                          local last = 0
                          if msg.seq % 10 == 0 then
                            local key = "e:" .. msg.seq
                            for i = 1, 40 do
                              last = redis:command("INCR", key)
                              if last ~= i then error("INCR " .. i .. " answered " .. last) end
                            end
                            for i = 1, 20 do redis:append_command("INCR", key) end
                            for i = 1, 20 do
                              last = redis:get_reply()
                              if last ~= 40 + i then error("reply " .. i .. ": " .. last) end
                            end
                          end
                          dragonfly.output_event(default_output, {seq = msg.seq, last = last})
                        end
                        """,
                        "");
        List<String> in = input(2_000, 1);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<JsonNode> out = output();
        assertThat(out.stream().map(e -> e.get("seq").asInt()).toList())
                .isEqualTo(java.util.stream.IntStream.range(0, in.size()).boxed().toList());
        for (JsonNode e : out) {
            assertThat(e.get("last").asInt())
                    .as("event %s", e.get("seq"))
                    .isEqualTo(e.get("seq").asInt() % 10 == 0 ? 60 : 0);
        }
        JsonNode stats = null;
        for (String line : TestRoots.readLines(dir.resolve("logs/dragonfly-stats.log"))) {
            JsonNode s = JSON.readTree(line);
            if (s.get("tag").asText().equals("a")) {
                stats = s;
            }
        }
        assertThat(stats).isNotNull();
        assertThat(stats.at("/redis/calls").asLong()).isEqualTo(200 * 60);
        assertThat(stats.at("/redis/failures").asLong()).isZero();
    }

    @Test
    void stateIsExactlyOnceAcrossAStopWithSavepointAndResume() throws Exception {
        Path root =
                root(
                        "key=\"k\", concurrency=8,",
                        """
                        local redis
                        function setup() redis = hiredis.connect() end
                        function loop(msg)
                          redis:command("INCR", "events")
                          local n = dragonfly.state.incr("n")
                          dragonfly.output_event(default_output, {k = msg.k, seq = msg.seq, n = n})
                        end
                        """,
                        "");
        // the input stage paces the replay, so the stop comes part-way
        TestRoots.write(
                root,
                "filter/filter.lua",
                """
                function loop(msg)
                  local t = os.clock() while os.clock() - t < 0.001 do end
                  dragonfly.analyze_event(default_analyzer, msg)
                end
                """);
        List<String> in = input(9_000, 7);
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("out.json");

        JobClient job = new AsyncEngine(root, logs).startLocal("before the stop", 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (AsyncEngine.lines(out) < 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("sp").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        job.getJobExecutionResult().get();
        int before = AsyncEngine.lines(out);

        Launcher.Result result = Launcher.run(root, logs, "--from-savepoint", savepoint);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<JsonNode> all = output();
        assertThat(before).as("stopped part-way").isLessThan(in.size());
        assertThat(all.stream().map(e -> e.get("seq").asInt()).toList())
                .as("every event once, in order")
                .isEqualTo(java.util.stream.IntStream.range(0, in.size()).boxed().toList());
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode e : all) {
            int n = count.merge(e.get("k").asText(), 1, Integer::sum);
            assertThat(e.get("n").asInt()).as("event %s", e.get("seq")).isEqualTo(n);
        }
    }
}
