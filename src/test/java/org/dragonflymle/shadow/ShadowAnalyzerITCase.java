package org.dragonflymle.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Shadow analyzers as a user runs them: examples/dga with a second version beside the live one, the
 * launcher, a MiniCluster, a real redis-server. What the diff must report is found without the
 * shadow machinery: each version run alone as the live analyzer, their outputs compared.
 */
class ShadowAnalyzerITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LIVE_VERDICT = "class = s >= 0.5 and \"dga\" or \"benign\",";

    @TempDir Path dir;

    private Path root(String name, List<String> input) {
        Path root = TestRoots.copyExample("dga", dir.resolve(name));
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.writeLines(dir.resolve(name).resolve("data/eve-sample.jsonl"), input);
        return root;
    }

    /** analyzer/NAME (dga.lua at first) with {@code from} replaced by {@code to}. */
    private static void writeVersion(Path root, String name, String from, String to) {
        try {
            Path existing = root.resolve("analyzer/" + name);
            String live =
                    Files.readString(
                            Files.exists(existing) ? existing : root.resolve("analyzer/dga.lua"));
            assertThat(live).contains(from);
            Files.writeString(root.resolve("analyzer/" + name), live.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> runAlone(String name, List<String> input, String script, String edit) {
        Path root = root(name, input);
        if (script != null) {
            writeVersion(root, script, LIVE_VERDICT, edit);
            TestRoots.editConfig(root, "script=\"dga.lua\",", "script=\"" + script + "\",");
        }
        Path logs = dir.resolve(name + "-logs");
        Launcher.Result r = Launcher.run(root, logs);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        REDIS.jedis().flushAll();
        return TestRoots.readLines(logs.resolve("dga-scored.json"));
    }

    /**
     * Also with the live analyzer at {@code concurrency = 4}: its events retire in input order, so
     * its shadow sees them in that order too.
     */
    @ParameterizedTest(name = "live concurrency {0}")
    @ValueSource(ints = {1, 4})
    void aChangedThresholdReportsExactlyTheEventsWhoseVerdictChanged(int concurrency)
            throws Exception {
        List<String> input = EveSamples.devLines();
        String v2 = "class = s >= 0.3 and \"dga\" or \"benign\",";
        List<String> live = runAlone("live", input, null, null);
        List<String> changed = runAlone("changed", input, "dga-v2.lua", v2);
        assertThat(changed).hasSameSizeAs(live);
        List<JsonNode> expected = new ArrayList<>();
        List<String[]> verdicts = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            JsonNode a = JSON.readTree(live.get(i));
            JsonNode b = JSON.readTree(changed.get(i));
            String ca = a.at("/analytics/dga/class").asText();
            String cb = b.at("/analytics/dga/class").asText();
            if (!ca.equals(cb)) {
                ObjectNode event = (ObjectNode) a.deepCopy();
                event.remove("analytics");
                expected.add(event);
                verdicts.add(new String[] {ca, cb});
            }
        }
        assertThat(expected).as("a threshold that changes no verdict tests nothing").isNotEmpty();

        Path root = root("shadowed-" + concurrency, input);
        writeVersion(root, "dga-v2.lua", LIVE_VERDICT, v2);
        // a write the live version never makes, to find where the shadow's writes land
        writeVersion(
                root,
                "dga-v2.lua",
                "function loop(msg)\n",
                "function loop(msg)\n  conn:command(\"INCR\", \"shadow:seen\")\n");
        TestRoots.editConfig(
                root,
                "script=\"dga.lua\",",
                "script=\"dga.lua\", shadow={ script=\"dga-v2.lua\" },"
                        + (concurrency > 1 ? " concurrency=" + concurrency + "," : ""));
        Path logs = dir.resolve("shadowed-" + concurrency + "-logs");
        Launcher.Result r = Launcher.run(root, logs);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr())
                .contains("shadow of \"dga\" (analyzer/dga-v2.lua) uses Redis database 1")
                .containsPattern(
                        "dga\\.shadow  compared "
                                + String.format("%,d", live.size())
                                + "  identical [0-9,]+  differing "
                                + expected.size()
                                + " \\(routes 0, fields "
                                + expected.size()
                                + ", errors 0\\)");
        // the live output is what the live version alone wrote
        assertThat(TestRoots.readLines(logs.resolve("dga-scored.json"))).isEqualTo(live);
        List<JsonNode> reported = new ArrayList<>();
        List<String> diff = TestRoots.readLines(logs.resolve("shadow-dga.json"));
        for (int i = 0; i < diff.size(); i++) {
            JsonNode line = JSON.readTree(diff.get(i));
            reported.add(line.get("event"));
            assertThat(line.get("differs").toString()).isEqualTo("[\"fields\"]");
            JsonNode changedFields = line.at("/fields/0/changed");
            assertThat(changedFields.at("/analytics.dga.class/live").asText())
                    .isEqualTo(verdicts.get(i)[0]);
            assertThat(changedFields.at("/analytics.dga.class/shadow").asText())
                    .isEqualTo(verdicts.get(i)[1]);
            assertThat(line.at("/fields/0/changed").size()).isEqualTo(1);
            assertThat(line.has("routes")).isFalse();
        }
        assertThat(reported).containsExactlyElementsOf(expected);

        // every Redis write of the shadow is in database 1, the live's in database 0
        Jedis db0 = REDIS.jedis();
        assertThat(db0.keys("dga:*")).hasSize(2);
        assertThat(db0.exists("shadow:seen")).isFalse();
        assertThat(db0.dbSize()).isEqualTo(2);
        try (Jedis db1 = REDIS.newJedis()) {
            db1.select(1);
            assertThat(db1.keys("dga:*")).hasSize(2);
            assertThat(db1.get("shadow:seen")).isEqualTo(String.valueOf(live.size()));
            assertThat(db1.dbSize()).isEqualTo(3);
            for (int db = 2; db <= 15; db++) {
                db1.select(db);
                assertThat(db1.dbSize()).as("database " + db).isZero();
            }
        }
    }

    /** The live output with a hostile shadow: exactly what the live version alone writes. */
    private void hostileShadow(String name, String loopBody, String extraConfig) {
        List<String> input = EveSamples.devLines().subList(0, 200);
        List<String> live = runAlone(name + "-live", input, null, null);
        Path root = root(name, input);
        TestRoots.write(
                root,
                "analyzer/hostile.lua",
                "local conn\nfunction setup()\n  conn = assert(hiredis.connect())\nend\n"
                        + "function loop(msg)\n"
                        + loopBody
                        + "\nend\n");
        TestRoots.editConfig(
                root,
                "script=\"dga.lua\",",
                "script=\"dga.lua\", shadow={ script=\"hostile.lua\", redis_db=3 },");
        if (extraConfig != null) {
            TestRoots.appendConfig(root, extraConfig);
        }
        Path logs = dir.resolve(name + "-logs");
        Launcher.Result r = Launcher.run(root, logs);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestRoots.readLines(logs.resolve("dga-scored.json"))).isEqualTo(live);
        assertThat(logs.resolve("dragonfly-errors.log"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
        assertThat(REDIS.jedis().keys("dga:*")).hasSize(2);
    }

    @Test
    void aShadowThatFailsEveryEventLeavesTheLiveOutputAlone() {
        hostileShadow("errors", "  error(\"boom\")", null);
        List<String> diff =
                TestRoots.readLines(dir.resolve("errors-logs").resolve("shadow-dga.json"));
        assertThat(diff)
                .isNotEmpty()
                .allMatch(l -> l.contains("\"differs\":[\"routes\",\"errors\"]"));
        assertThat(diff.get(0)).contains("boom").contains("script_error");
    }

    @Test
    void aShadowThatLoopsForEverIsSwitchedOffAndTheLiveOutputIsComplete() {
        hostileShadow("loops", "  while true do end", null);
        List<String> diff =
                TestRoots.readLines(dir.resolve("loops-logs").resolve("shadow-dga.json"));
        assertThat(diff).anyMatch(l -> l.contains("\"shadow_off\"") && l.contains("loop_budget"));
    }

    @Test
    void aShadowBlockedInRedisForEverIsEndedByTheWatchdogAndSwitchedOff() {
        hostileShadow("blocked", "  conn:command(\"BLPOP\", \"never\", \"0\")", null);
        List<String> diff =
                TestRoots.readLines(dir.resolve("blocked-logs").resolve("shadow-dga.json"));
        assertThat(diff).anyMatch(l -> l.contains("\"shadow_off\"") && l.contains("loop_budget"));
    }

    @Test
    void aShadowThatSelectsTheLiveDatabaseAndFlushesItWritesOnlyItsOwn() {
        hostileShadow(
                "select",
                "  local r = conn:command(\"SELECT\", \"0\")\n"
                        + "  assert(type(r) == \"table\" and r.name:find(\"refused\"), tostring(r))\n"
                        + "  conn:command(\"FLUSHDB\")\n"
                        + "  conn:command(\"FLUSHALL\")\n"
                        + "  conn:command(\"SWAPDB\", \"0\", \"3\")\n"
                        + "  conn:command(\"MOVE\", \"x\", \"0\")\n"
                        + "  conn:command(\"EVAL\", \"redis.call('SELECT', 0) return 1\", \"0\")\n"
                        + "  conn:command(\"INCR\", \"shadow:wrote\")\n"
                        + "  dragonfly.output_event(default_output, msg)",
                "sandbox = { redis_admin = { \"FLUSHDB\", \"FLUSHALL\", \"SWAPDB\" } }");
        assertThat(REDIS.jedis().exists("shadow:wrote")).isFalse();
        try (Jedis db3 = REDIS.newJedis()) {
            db3.select(3);
            assertThat(db3.get("shadow:wrote")).isNotNull();
            assertThat(db3.dbSize()).isEqualTo(1);
        }
        List<String> diff =
                TestRoots.readLines(dir.resolve("select-logs").resolve("shadow-dga.json"));
        assertThat(diff).isNotEmpty().noneMatch(l -> l.contains("\"errors\""));
    }
}
