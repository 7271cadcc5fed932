package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.testutils.RedisClusterExtension;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.JedisCluster;

/**
 * The contract of {@link ClusterSemanticsITCase} (Redis 7) and {@link ClusterSemanticsRedis6ITCase}
 * (embedded-redis's 6.2, whose servers have no key specifications: the connection asks COMMAND
 * GETKEYS). A script cannot tell a Cluster from one server by the replies: the same command
 * sequences (synchronous, pipelined with append/get_reply, transactions on hash-tagged keys, EVAL,
 * streams, container commands, errors) give equal replies through a {@link ClusterConnection} to a
 * real 3-master cluster and through a {@link ReconnectingConnection} to one real redis-server,
 * whose keys spread over every master.
 */
abstract class ClusterSemanticsContract {

    /** One server, from the same binary as the cluster's nodes. */
    abstract RedisServerExtension one();

    abstract RedisClusterExtension cluster();

    /** One step of a script: a command, an append, or a get_reply. */
    private record Step(char kind, List<String> args) {
        @Override
        public String toString() {
            return kind + " " + String.join(" ", args);
        }
    }

    private static Step c(String... args) {
        return new Step('c', List.of(args));
    }

    private static Step a(String... args) {
        return new Step('a', List.of(args));
    }

    private static Step r() {
        return new Step('r', List.of());
    }

    private static List<Step> steps(Step... s) {
        return List.of(s);
    }

    private static List<byte[]> bytes(List<String> args) {
        List<byte[]> out = new ArrayList<>(args.size());
        for (String s : args) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Runs the steps; every reply (or unavailability) as text, in order. */
    private static List<String> run(RedisConnection redis, List<Step> steps) {
        List<String> replies = new ArrayList<>();
        for (Step s : steps) {
            switch (s.kind()) {
                case 'c' -> replies.add(show(redis.command(bytes(s.args()))));
                case 'a' -> redis.append(bytes(s.args()));
                default -> replies.add(show(redis.nextReply()));
            }
        }
        return replies;
    }

    private static String show(RespReply r) {
        if (r instanceof RespReply.BulkReply b) {
            return "\"" + b.text() + "\"";
        }
        if (r instanceof RespReply.ArrayReply a) {
            return a.elements().stream().map(ClusterSemanticsContract::show).toList().toString();
        }
        return r.toString();
    }

    private static RedisConnection open(RedisSpec spec) {
        return RedisConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(5)),
                CommandInterceptor.NONE,
                new RedisOutageLog());
    }

    static Stream<Arguments> scripts() {
        String incr = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
        List<Step> spread = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            spread.add(a("INCRBY", "spread:" + i, Integer.toString(i)));
        }
        for (int i = 0; i < 300; i++) {
            spread.add(r());
        }
        spread.add(c("MGET", "spread:1"));
        return Stream.of(
                Arguments.of(
                        "strings, lists, hashes, nil, integers",
                        steps(
                                c("SET", "k1", "v1"),
                                c("GET", "k1"),
                                c("GET", "missing"),
                                c("INCR", "n"),
                                c("INCR", "n"),
                                c("RPUSH", "l", "a", "b", "c"),
                                c("LRANGE", "l", "0", "-1"),
                                c("HSET", "h", "f", "v", "g", "w"),
                                c("HGET", "h", "g"),
                                c("SET", "k2", "v", "NX", "EX", "100"),
                                c("SET", "k2", "v", "NX", "EX", "100"),
                                c("TYPE", "l"),
                                c("DEL", "k1"),
                                c("EXISTS", "k1"))),
                Arguments.of(
                        "error replies",
                        steps(
                                c("SET", "k1", "v1"),
                                c("INCR", "k1"),
                                c("LPUSH", "k1", "x"),
                                c("GET"),
                                c("NOSUCHCOMMAND", "a"),
                                c("EXEC"),
                                c("DISCARD"))),
                Arguments.of("a pipeline over every master", spread),
                Arguments.of(
                        "a command while replies are pending returns the oldest",
                        steps(
                                a("SET", "x", "1"),
                                a("INCR", "y"),
                                c("GET", "x"),
                                r(),
                                r(),
                                c("GET", "x"))),
                Arguments.of(
                        "a transaction on one hash tag",
                        steps(
                                c("MULTI"),
                                c("INCR", "{u}a"),
                                c("INCRBY", "{u}b", "5"),
                                c("EXEC"),
                                c("MGET", "{u}a", "{u}b"))),
                Arguments.of(
                        "a pipelined transaction",
                        steps(
                                a("MULTI"),
                                a("SET", "{t}x", "1"),
                                a("INCR", "{t}x"),
                                a("GET", "{t}x"),
                                a("EXEC"),
                                r(),
                                r(),
                                r(),
                                r(),
                                r())),
                Arguments.of(
                        "keyless and empty transactions",
                        steps(
                                c("MULTI"),
                                c("EXEC"),
                                c("MULTI"),
                                c("PING"),
                                c("ECHO", "hi"),
                                c("EXEC"),
                                c("MULTI"),
                                c("PING"),
                                c("SET", "{k}late", "1"),
                                c("EXEC"),
                                c("GET", "{k}late"))),
                Arguments.of(
                        "errors inside transactions",
                        steps(
                                c("MULTI"),
                                c("MULTI"),
                                c("SET", "{e}a", "x"),
                                c("INCR", "{e}a"),
                                c("NOSUCHCOMMAND"),
                                c("EXEC"),
                                c("MULTI"),
                                c("SET", "{e}b", "x"),
                                c("INCR", "{e}b"),
                                c("EXEC"),
                                c("GET", "{e}a"))),
                Arguments.of(
                        "DISCARD and WATCH",
                        steps(
                                c("MULTI"),
                                c("SET", "{d}a", "1"),
                                c("DISCARD"),
                                c("GET", "{d}a"),
                                c("MULTI"),
                                c("DISCARD"),
                                c("WATCH", "{w}a"),
                                c("MULTI"),
                                c("SET", "{w}a", "1"),
                                c("EXEC"),
                                c("GET", "{w}a"))),
                Arguments.of(
                        "EVAL with keys, with none, SCRIPT LOAD and EVALSHA",
                        steps(
                                c("EVAL", incr, "1", "ev:a", "3"),
                                c("EVAL", incr, "1", "ev:b", "4"),
                                c("EVAL", "return 7", "0"),
                                c("SCRIPT", "LOAD", incr),
                                c("EVALSHA", "f3a9d6f0b7e6b5a0a5b3f0fdbf86ac7fe2b3c3e1", "1", "x"),
                                c("EVALSHA", sha1(incr), "1", "ev:c", "1"),
                                c("EVALSHA", sha1(incr), "1", "ev:d", "2"),
                                c("EVALSHA", sha1(incr), "1", "ev:e", "3"),
                                c("MGET", "ev:a"))),
                Arguments.of(
                        "streams, sorted sets, containers",
                        steps(
                                c("XADD", "s1", "1-1", "f", "v"),
                                c("XADD", "s1", "2-1", "f", "w"),
                                c("XREAD", "COUNT", "10", "STREAMS", "s1", "0"),
                                c("XINFO", "STREAM", "s1"),
                                c("ZADD", "{z}a", "1", "x", "2", "y"),
                                c("ZADD", "{z}b", "3", "x"),
                                c("ZUNIONSTORE", "{z}dst", "2", "{z}a", "{z}b"),
                                c("ZRANGE", "{z}dst", "0", "-1", "WITHSCORES"),
                                c("RPUSH", "nums", "3", "1", "2"),
                                c("SORT", "nums"),
                                c("OBJECT", "ENCODING", "nums"),
                                c("SET", "big", "123"),
                                c("OBJECT", "ENCODING", "big"),
                                c("PING"),
                                c("PING", "hello"),
                                c("ECHO", "x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aScriptSeesTheSameRepliesAsFromOneServer(String name, List<Step> steps) {
        List<String> fromOne;
        List<String> fromCluster;
        try (RedisConnection one = open(one().spec());
                RedisConnection cluster = open(cluster().spec())) {
            fromOne = run(one, steps);
            fromCluster = run(cluster, steps);
        }
        assertThat(fromCluster).isEqualTo(fromOne);
    }

    /**
     * The Redis-ML commands the engine answers itself, reading and writing the model hashes through
     * the connection: models on every master, errors, a pipeline that mixes them with Redis's own
     * commands, a transaction (where they are refused, as on one server), and the stored hashes.
     */
    @Test
    void redisMlCommandsAnswerAsFromOneServer() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            steps.add(c("ML.LINREG.SET", "lin:" + i, Integer.toString(i), "2", "3"));
            steps.add(c("ML.LINREG.PREDICT", "lin:" + i, "1", "0.1"));
        }
        steps.addAll(
                steps(
                        c(
                                "ML.FOREST.ADD",
                                "f",
                                "0",
                                ".",
                                "NUMERIC",
                                "1",
                                "0.1",
                                ".l",
                                "LEAF",
                                "1",
                                ".r",
                                "LEAF",
                                "0"),
                        c("ML.FOREST.ADD", "f", "2", ".", "LEAF", "1"),
                        c("ML.FOREST.RUN", "f", "1:0.05"),
                        c("ML.FOREST.RUN", "f", "1:0.5", "REGRESSION"),
                        c("ML.LINREG.PREDICT", "f", "1"),
                        c("ML.LINREG.PREDICT", "nope", "1"),
                        c("SET", "s", "x"),
                        c("ML.LINREG.SET", "s", "1", "2"),
                        c("ML.MATRIX.SET", "ma", "2", "2", "1", "2", "3", "4"),
                        c("ML.MATRIX.SET", "mb", "2", "1", "5", "6"),
                        c("ML.MATRIX.MULTIPLY", "ma", "mb", "mc"),
                        c("ML.MATRIX.GET", "mc"),
                        c("ML.KMEANS.SET", "km", "2", "2", "0", "0", "10", "10"),
                        c("ML.KMEANS.PREDICT", "km", "9", "8"),
                        c("ML.FOREST.TEST", "f"),
                        a("INCR", "n"),
                        a("ML.LINREG.PREDICT", "lin:3", "1", "1"),
                        a("INCR", "n"),
                        a("ML.LINREG.PREDICT", "nope", "1"),
                        r(),
                        r(),
                        r(),
                        r(),
                        c("MULTI"),
                        c("INCR", "{m}a"),
                        c("ML.LINREG.PREDICT", "lin:1", "1", "1"),
                        c("EXEC"),
                        // every field but "version", which is random per write
                        c("HMGET", "f", "format", "type", "trees", "tree:0"),
                        c("HGET", "lin:7", "type"),
                        c("TYPE", "mc")));
        List<String> fromOne;
        List<String> fromCluster;
        try (RedisConnection one = openWithMl(one().spec());
                RedisConnection cluster = openWithMl(cluster().spec())) {
            fromOne = run(one, steps);
            fromCluster = run(cluster, steps);
        }
        assertThat(fromCluster).isEqualTo(fromOne);
        assertThat(fromOne)
                .as("answered by the engine, not Redis")
                .anyMatch(r -> r.contains("no model at key 'nope'"));
        java.util.Set<Integer> modelMasters = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            int master = cluster().cluster().nodeServing("lin:" + i);
            modelMasters.add(master);
            try (var j = cluster().cluster().jedis(master)) {
                assertThat(j.hget("lin:" + i, "type"))
                        .as("model lin:%d stored on the master of its slot", i)
                        .isEqualTo("regression");
            }
        }
        assertThat(modelMasters).as("the models' hashes live on every master").hasSize(3);
    }

    private static RedisConnection openWithMl(RedisSpec spec) {
        return RedisConnection.open(
                spec,
                ReconnectPolicy.withBudget(Duration.ofSeconds(5)),
                new org.dragonflymle.ml.command.RedisMlInterceptor(),
                new RedisOutageLog());
    }

    @Test
    void keysReallySpreadOverEveryMaster() {
        try (RedisConnection cluster = open(cluster().spec())) {
            for (int i = 0; i < 300; i++) {
                cluster.command(bytes(List.of("SET", "spread:" + i, "v")));
            }
        }
        for (int master = 0; master < 3; master++) {
            try (var j = cluster().cluster().jedis(master)) {
                assertThat(j.dbSize()).as("keys on master %d", master).isBetween(50L, 200L);
            }
        }
    }

    @Test
    void keysOfDifferentSlotsGetTheClustersOwnCrossslotReply() {
        try (RedisConnection cluster = open(cluster().spec());
                JedisCluster check = cluster().cluster().client()) {
            assertThat(show(cluster.command(bytes(List.of("MSET", "a", "1", "b", "2")))))
                    .isEqualTo(
                            "ErrorReply[message=CROSSSLOT Keys in request don't hash to the same"
                                    + " slot]");
            assertThat(show(cluster.command(bytes(List.of("MSET", "{t}a", "1", "{t}b", "2")))))
                    .isEqualTo("StatusReply[text=OK]");

            List<String> tx =
                    run(
                            cluster,
                            steps(
                                    c("MULTI"),
                                    c("SET", "a", "1"),
                                    c("SET", "b", "2"),
                                    c("SET", "c", "3"),
                                    c("EXEC")));

            assertThat(tx.subList(0, 2))
                    .containsExactly("StatusReply[text=OK]", "StatusReply[text=QUEUED]");
            assertThat(tx.subList(2, 5))
                    .anyMatch(r -> r.contains("CROSSSLOT Keys in request don't hash to the same"));
            assertThat(tx.get(4)).startsWith("ErrorReply[message=");
            assertThat(check.exists("a")).isFalse();
            assertThat(check.exists("b")).isFalse();
        }
    }

    @Test
    void keylessCommandsGoToTheMasterOfSlotZero() {
        int slotZero = cluster().cluster().nodeServingSlot(0);
        int port = cluster().cluster().nodes().get(slotZero).port();
        try (RedisConnection cluster = open(cluster().spec())) {
            String info = show(cluster.command(bytes(List.of("INFO", "server"))));
            assertThat(info).contains("tcp_port:" + port + "\r\n");
        }
    }

    private static String sha1(String script) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-1")
                                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
