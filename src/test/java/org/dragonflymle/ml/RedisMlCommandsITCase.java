package org.dragonflymle.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis-ML commands of docs/model-scoring.md as an analyzer sends them, through {@code
 * conn:command} and {@code conn:command_line}, answered by the engine over a real redis-server.
 */
class RedisMlCommandsITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private MlLua lua;

    @BeforeEach
    void connect() {
        lua = new MlLua(REDIS.spec());
    }

    @AfterEach
    void close() {
        lua.close();
    }

    @Test
    void theContractsCheckValuesThroughCommand() {
        lua.run(
                """
                assert(conn:command("ML.LINREG.SET", "a", 2, 3, 4, 5) == hiredis.status.OK)
                local p = conn:command("ML.LINREG.PREDICT", "a", 1, 1, 1)
                assert(p == "14", tostring(p))
                assert(type(p) == "string")

                assert(conn:command("ML.LOGREG.SET", "l", 0, 2, 2) == hiredis.status.OK)
                local q = conn:command("ML.LOGREG.PREDICT", "l", -3, 1)
                assert(q == "0.017986209962091559", tostring(q))

                assert(conn:command("ML.FOREST.ADD", "f", 0, ".", "NUMERIC", 1, 0.1, ".l", "LEAF", 1, ".r", "LEAF", 0) == hiredis.status.OK)
                assert(conn:command("ML.FOREST.ADD", "f", 1, ".", "NUMERIC", 1, 0.1, ".l", "LEAF", 1, ".r", "LEAF", 0) == hiredis.status.OK)
                assert(conn:command("ML.FOREST.ADD", "f", 2, ".", "NUMERIC", 1, 0.1, ".l", "LEAF", 0, ".r", "LEAF", 1) == hiredis.status.OK)
                assert(conn:command("ML.FOREST.RUN", "f", "1:0.01", "CLASSIFICATION") == "1")
                assert(conn:command("ML.FOREST.RUN", "f", "1:0.2", "CLASSIFICATION") == "0")
                """);
    }

    @Test
    void theContractsCheckValuesThroughCommandLine() {
        assertThat(lua.line("ML.LINREG.SET a 2 3 4 5")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1")).isEqualTo("14");
        assertThat(lua.line("ML.LOGREG.SET a 0 2 2")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.LOGREG.PREDICT a -3 1")).isEqualTo("0.017986209962091559");
        assertThat(lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.ADD f 1 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.ADD f 2 . NUMERIC 1 0.1 .l LEAF 0 .r LEAF 1"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.RUN f 1:0.01 CLASSIFICATION")).isEqualTo("1");
        assertThat(lua.line("ML.FOREST.RUN f 1:0.2 CLASSIFICATION")).isEqualTo("0");
        assertThat(lua.line("ML.FOREST.RUN f 1:0.01"))
                .as("classification by default")
                .isEqualTo("1");
        assertThat(lua.line("ML.FOREST.RUN f 1:0.01 REGRESSION")).isEqualTo("0.66666666666666663");
    }

    @Test
    void namesInAnyCaseAsRedisTakesThem() {
        assertThat(lua.line("ml.linreg.set a 2 3 4 5")).isEqualTo("STATUS: OK");
        assertThat(lua.line("Ml.LinReg.Predict a 1 1 1")).isEqualTo("14");
        assertThat(lua.line("ml.forest.add f 0 . numeric x 1 .l leaf 1 .r leaf 2"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ml.forest.run f x:3 regression")).isEqualTo("2");
    }

    @Test
    void linearAndLogisticShareOneModelTypeAsInRedisMl() {
        lua.line("ML.LINREG.SET m 0 2 2");
        assertThat(lua.line("ML.LOGREG.PREDICT m -3 1")).isEqualTo("0.017986209962091559");
        assertThat(lua.line("ML.LINREG.PREDICT m -3 1")).isEqualTo("-4");
    }

    @Test
    void kMeansAnswersTheNearestCentreAsAnInteger() {
        lua.run(
                """
                assert(conn:command_line("ML.KMEANS.SET k 2 3 1 1 2 2 5 4") == hiredis.status.OK)
                local c = conn:command_line("ML.KMEANS.PREDICT k 1 3 5")
                assert(c == 1 and type(c) == "number", tostring(c))
                assert(conn:command("ML.KMEANS.PREDICT", "k", 1, 1, 2) == 0)
                -- (1.5, 3, 3) is equally far from both centres: the lower index wins
                assert(conn:command("ML.KMEANS.PREDICT", "k", 1.5, 3, 3) == 0)
                """);
    }

    @Test
    void matricesAsRedisMlDocumentsThem() {
        assertThat(lua.line("ML.MATRIX.SET a 2 3 1 2 5 3 4 6")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.MATRIX.SET b 3 2 1 2 3 4 7 1")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.MATRIX.MULTIPLY a b ab")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.MATRIX.GET ab")).isEqualTo("[2, 2, 42, 15, 57, 28]");
        lua.run(
                """
                local m = conn:command("ML.MATRIX.GET", "ab")
                assert(type(m[1]) == "number" and type(m[3]) == "string")
                """);
        assertThat(lua.line("ML.MATRIX.ADD ab ab sum")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.MATRIX.GET sum")).isEqualTo("[2, 2, 84, 30, 114, 56]");
        assertThat(lua.line("ML.MATRIX.SCALE sum 0.5")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.MATRIX.GET sum")).isEqualTo("[2, 2, 42, 15, 57, 28]");
        assertThat(lua.line("ML.MATRIX.ADD a sum x"))
                .isEqualTo("ERROR: ERR ML.MATRIX.ADD a: cannot add a 2x3 matrix and a 2x2 matrix");
        assertThat(lua.line("ML.MATRIX.MULTIPLY a a x"))
                .startsWith(
                        "ERROR: ERR ML.MATRIX.MULTIPLY a: cannot multiply a 2x3 matrix by a 2x3");
        assertThat(lua.line("ML.MATRIX.SET c 2 2 1 2 3"))
                .isEqualTo(
                        "ERROR: ERR ML.MATRIX.SET c: rows (2) and cols (2) must be > 0 and followed"
                                + " by rows * cols entries; got 3");
        assertThat(lua.line("ML.MATRIX.GET nothing"))
                .isEqualTo("ERROR: ERR ML.MATRIX.GET nothing: no matrix at key 'nothing'");
    }

    @Test
    void badSyntaxIsAnErrorReplyNamingTheProblem() {
        assertThat(lua.line("ML.LINREG.SET a 2"))
                .isEqualTo(
                        "ERROR: ERR ML.LINREG.SET a: wrong number of arguments (2); usage:"
                                + " ML.LINREG.SET key intercept coefficient [coefficient ...]");
        assertThat(lua.line("ML.LINREG.SET a 2 3 x"))
                .isEqualTo("ERROR: ERR ML.LINREG.SET a: coefficient 2 'x' is not a number");
        assertThat(lua.line("ML.LOGREG.SET a one 3"))
                .isEqualTo("ERROR: ERR ML.LOGREG.SET a: intercept 'one' is not a number");
        lua.line("ML.LINREG.SET a 2 3 4 5");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1"))
                .isEqualTo(
                        "ERROR: ERR ML.LINREG.PREDICT a: the model has 3 coefficients, so it needs"
                                + " 3 features; got 2");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 zz"))
                .isEqualTo("ERROR: ERR ML.LINREG.PREDICT a: feature 3 'zz' is not a number");
        assertThat(lua.line("ML.FOREST.ADD f x . LEAF 1"))
                .isEqualTo("ERROR: ERR ML.FOREST.ADD f: tree id 'x' is not a number");
        assertThat(lua.line("ML.FOREST.ADD f 0 . BRANCH 1 2"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree 0: node type 'BRANCH' at path '.' is not"
                                + " NUMERIC, CATEGORIC or LEAF");
        assertThat(lua.line("ML.FOREST.ADD f 0 .x LEAF 1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree 0: path '.x' has 'x' at step 1; steps are"
                                + " l or r");
        lua.line("ML.FOREST.ADD f 0 . NUMERIC x 1 .l LEAF 1 .r LEAF 2");
        assertThat(lua.line("ML.FOREST.RUN f x:1 VOTE"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.RUN f: mode 'VOTE' is not CLASSIFICATION or"
                                + " REGRESSION");
        assertThat(lua.line("ML.FOREST.RUN f x=1"))
                .isEqualTo("ERROR: ERR ML.FOREST.RUN f: sample pair 1 'x=1' is not attr:value");
        assertThat(lua.line("ML.FOREST.RUN f x:high"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.RUN f: attribute 'x' has value 'high', not a number,"
                                + " and tree 0 splits on it numerically");
        assertThat(lua.line("ML.KMEANS.SET k 2 3 1 2 3"))
                .isEqualTo(
                        "ERROR: ERR ML.KMEANS.SET k: k (2) and dimensions (3) must be > 0 and"
                                + " followed by k * dimensions centre values; got 3");
        assertThat(lua.line("ML.FOREST.TEST f"))
                .startsWith("ERROR: ERR unknown Redis-ML command 'ML.FOREST.TEST'; this engine");
        assertThat(lua.line("ML.LINREG.PREDICT")).startsWith("ERROR: ERR ML.LINREG.PREDICT: wrong");
        lua.run(
                """
                local e = conn:command("ML.LINREG.SET", "a", "x", "y")
                assert(type(e) == "table" and e.type == hiredis.REPLY_ERROR and e.name ~= "OK")
                assert(conn:command("PING") == hiredis.status.PONG, "the connection goes on")
                """);
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt() {
        assertThat(lua.line("ML.LINREG.PREDICT nope 1"))
                .isEqualTo("ERROR: ERR ML.LINREG.PREDICT nope: no model at key 'nope'");
        assertThat(lua.line("ML.FOREST.RUN nope x:1"))
                .isEqualTo("ERROR: ERR ML.FOREST.RUN nope: no model at key 'nope'");
        assertThat(lua.line("ML.KMEANS.PREDICT nope 1"))
                .isEqualTo("ERROR: ERR ML.KMEANS.PREDICT nope: no model at key 'nope'");
    }

    @Test
    void aKeyHoldingSomethingElseIsWrongType() {
        lua.line("ML.FOREST.ADD f 0 . LEAF 1");
        assertThat(lua.line("ML.LINREG.PREDICT f 1"))
                .isEqualTo(
                        "ERROR: WRONGTYPE ML.LINREG.PREDICT f: key 'f' holds a forest, not a"
                                + " linear/logistic regression model");
        assertThat(lua.line("ML.LINREG.SET f 1 2"))
                .isEqualTo(
                        "ERROR: WRONGTYPE ML.LINREG.SET f: key 'f' holds a forest, not a"
                                + " linear/logistic regression model");
        REDIS.jedis().set("s", "plain");
        REDIS.jedis().hset("h", "name", "value");
        assertThat(lua.line("ML.LINREG.SET s 1 2"))
                .isEqualTo(
                        "ERROR: WRONGTYPE ML.LINREG.SET s: key 's' holds a value that is not a"
                                + " model");
        assertThat(lua.line("ML.FOREST.RUN s x:1")).startsWith("ERROR: WRONGTYPE ML.FOREST.RUN s:");
        assertThat(lua.line("ML.FOREST.ADD h 0 . LEAF 1"))
                .isEqualTo(
                        "ERROR: WRONGTYPE ML.FOREST.ADD h: key 'h' holds a hash that is not a"
                                + " model");
        assertThat(lua.line("ML.LINREG.PREDICT h 1"))
                .isEqualTo(
                        "ERROR: WRONGTYPE ML.LINREG.PREDICT h: key 'h' holds a hash that is not a"
                                + " model");
        assertThat(REDIS.jedis().get("s")).as("never overwritten").isEqualTo("plain");
        assertThat(REDIS.jedis().hgetAll("h")).isEqualTo(Map.of("name", "value"));
    }

    @Test
    void aTreeIdOutOfSequenceIsAnErrorAndStoresNothing() {
        assertThat(lua.line("ML.FOREST.ADD f 1 . LEAF 1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree id 1 is out of sequence: the forest has 0"
                                + " trees, so the next id is 0");
        assertThat(REDIS.jedis().exists("f")).isFalse();
        lua.line("ML.FOREST.ADD f 0 . LEAF 1");
        assertThat(lua.line("ML.FOREST.ADD f 2 . LEAF 1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree id 2 is out of sequence: the forest has 1"
                                + " tree, so the next id is 1");
        assertThat(lua.line("ML.FOREST.ADD f 1 . LEAF 3")).isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.RUN f x:0 REGRESSION")).isEqualTo("2");
    }

    @Test
    void anIncompleteTreeIsAnErrorAndStoresNothing() {
        assertThat(lua.line("ML.FOREST.ADD f 0 . NUMERIC x 1 .l LEAF 1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree 0 is incomplete: no node at path '.r'"
                                + " (send a tree's nodes in one command, parents first)");
        assertThat(REDIS.jedis().exists("f")).isFalse();
        assertThat(lua.line("ML.FOREST.ADD f 0 .l LEAF 1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree 0: path '.l' needs the root '.' to be"
                                + " added first");
        assertThat(lua.line("ML.FOREST.ADD f 0 . NUMERIC x 1 .l LEAF 1 .r LEAF 2"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.ADD f 0 .r NUMERIC y 1 .rl LEAF 3"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.ADD f: tree 0 is incomplete: no node at path '.rr'"
                                + " (send a tree's nodes in one command, parents first)");
        assertThat(lua.line("ML.FOREST.RUN f x:5 REGRESSION")).as("unchanged").isEqualTo("2");
    }

    @Test
    void addingToAnExistingTreeChangesItAtOnce() {
        lua.line("ML.FOREST.ADD f 0 . NUMERIC x 1 .l LEAF 1 .r LEAF 2");
        assertThat(lua.line("ML.FOREST.RUN f x:5 REGRESSION")).isEqualTo("2");
        assertThat(lua.line("ML.FOREST.ADD f 0 .r NUMERIC y 1 .rl LEAF 3 .rr LEAF 4"))
                .isEqualTo("STATUS: OK");
        assertThat(lua.line("ML.FOREST.RUN f x:5,y:0 REGRESSION")).isEqualTo("3");
        assertThat(lua.line("ML.FOREST.RUN f x:5,y:9 REGRESSION")).isEqualTo("4");
        assertThat(REDIS.jedis().hget("f", "tree:0"))
                .isEqualTo(". NUMERIC x 1 .l LEAF 1 .r NUMERIC y 1 .rl LEAF 3 .rr LEAF 4");
    }

    @Test
    void modelsAreStoredInTheDocumentedFormat() {
        lua.line("ML.LINREG.SET lin 2 3 4 0.5");
        Map<String, String> lin = REDIS.jedis().hgetAll("lin");
        assertThat(lin).containsEntry("format", "1").containsEntry("type", "regression");
        assertThat(lin).containsEntry("model", "2 3 4 0.5").hasSize(4);
        assertThat(lin.get("version")).matches("[0-9a-f]{16}");

        lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0");
        lua.line("ML.FOREST.ADD f 1 . CATEGORIC c a:b .l LEAF 1 STATS 4:1 .r LEAF 0");
        Map<String, String> forest = REDIS.jedis().hgetAll("f");
        assertThat(forest)
                .containsEntry("type", "forest")
                .containsEntry("trees", "2")
                .containsEntry("tree:0", ". NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0")
                .containsEntry("tree:1", ". CATEGORIC c a:b .l LEAF 1 STATS 4:1 .r LEAF 0");

        lua.line("ML.KMEANS.SET k 2 3 1 1 2 2 5 4");
        assertThat(REDIS.jedis().hget("k", "model")).isEqualTo("2 3 1 1 2 2 5 4");
        assertThat(REDIS.jedis().hget("k", "type")).isEqualTo("kmeans");
        lua.line("ML.MATRIX.SET m 1 2 0.25 -1e-5");
        assertThat(REDIS.jedis().hget("m", "model")).isEqualTo("1 2 0.25 -1.0E-5");
    }

    @Test
    void aModelInAnotherStorageFormatIsRefusedNotMisread() {
        REDIS.jedis()
                .hset(
                        "future",
                        Map.of("format", "2", "type", "forest", "version", "x", "trees", "0"));
        assertThat(lua.line("ML.FOREST.RUN future x:1"))
                .isEqualTo(
                        "ERROR: ERR ML.FOREST.RUN future: the model at key 'future' has storage"
                                + " format '2'; this engine reads format 1");
        assertThat(lua.line("ML.FOREST.ADD future 0 . LEAF 1")).startsWith("ERROR: ERR");
        assertThat(REDIS.jedis().hget("future", "format")).isEqualTo("2");
    }

    @Test
    void aModelSetByAnEarlierRunIsScoredByANewInstance() {
        lua.line("ML.LINREG.SET a 2 3 4 5");
        lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 7 .r LEAF 0");
        lua.close();
        lua = new MlLua(REDIS.spec());
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1")).isEqualTo("14");
        assertThat(lua.line("ML.FOREST.RUN f 1:0")).isEqualTo("7");
    }

    @Test
    void settingTheSameModelAgainWritesNothing() {
        lua.line("ML.LINREG.SET a 2 3 4 5");
        lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0");
        String linVersion = REDIS.jedis().hget("a", "version");
        String forestVersion = REDIS.jedis().hget("f", "version");
        lua.line("ML.LINREG.SET a 2 3 4 5");
        lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0");
        assertThat(REDIS.jedis().hget("a", "version")).isEqualTo(linVersion);
        assertThat(REDIS.jedis().hget("f", "version")).isEqualTo(forestVersion);
        lua.line("ML.LINREG.SET a 2 3 4 6");
        assertThat(REDIS.jedis().hget("a", "version")).isNotEqualTo(linVersion);
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1")).isEqualTo("15");
    }

    @Test
    void aPredictionCostsNoRedisRoundTrip() {
        lua.line("ML.LOGREG.SET l 0 2 2");
        lua.line("ML.FOREST.ADD f 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0");
        lua.line("ML.LOGREG.PREDICT l 1 1");
        lua.line("ML.FOREST.RUN f 1:1");
        long before = commandsProcessed();
        lua.run(
                """
                for i = 1, 2000 do
                  assert(conn:command("ML.LOGREG.PREDICT", "l", i / 1000, 1))
                  assert(conn:command("ML.FOREST.RUN", "f", "1:" .. i / 10000) ~= nil)
                end
                """);
        // At most the version checks of a refresh interval or two (plus INFO itself).
        assertThat(commandsProcessed() - before).isLessThan(20);
    }

    @Test
    void theScriptsOwnDeleteIsSeenAtOnce() {
        lua.line("ML.LINREG.SET a 2 3 4 5");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1")).isEqualTo("14");
        assertThat(lua.line("DEL a")).isEqualTo("1");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1"))
                .isEqualTo("ERROR: ERR ML.LINREG.PREDICT a: no model at key 'a'");
        lua.line("ML.LINREG.SET a 1 1 1 1");
        lua.line("ML.LINREG.PREDICT a 1 1 1");
        lua.line("FLUSHDB");
        assertThat(lua.line("ML.LINREG.PREDICT a 1 1 1")).startsWith("ERROR: ERR");
    }

    @Test
    void pipelinedCommandsKeepTheirOrder() {
        lua.run(
                """
                conn:command_line("ML.LINREG.SET a 2 3 4 5")
                conn:append_command("SET", "k", "v")
                conn:append_command("ML.LINREG.PREDICT", "a", 1, 1, 1)
                conn:append_command("GET", "k")
                conn:append_command("ML.FOREST.RUN", "missing", "x:1")
                assert(conn:get_reply() == hiredis.status.OK)
                assert(conn:get_reply() == "14")
                assert(conn:get_reply() == "v")
                local e = conn:get_reply()
                assert(e.type == hiredis.REPLY_ERROR and e.name:find("no model"), e.name)
                """);
    }

    private static long commandsProcessed() {
        String info = REDIS.jedis().info("stats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_commands_processed in INFO stats");
    }
}
