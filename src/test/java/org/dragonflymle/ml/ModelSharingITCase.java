package org.dragonflymle.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.dragonflymle.ml.store.ModelStore;
import org.dragonflymle.testutils.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Models live in Redis and are shared: two script instances (each its own HiredisLib, interceptor
 * and connection, as two parallel operator instances or two TaskManagers have) see each other's
 * models, and each sees the other's changes within the refresh interval.
 */
class ModelSharingITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    /** A clock the test moves by hand. */
    private final AtomicLong now = new AtomicLong();

    private MlLua instance() {
        return new MlLua(
                REDIS.spec(), new RedisMlInterceptor(INTERVAL, now::get, new ModelStore()));
    }

    private void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void oneInstanceSetsTheOtherPredictsAndSeesTheUpdateWithinTheInterval() {
        try (MlLua a = instance();
                MlLua b = instance()) {
            a.line("ML.LINREG.SET m 2 3 4 5");
            assertThat(b.line("ML.LINREG.PREDICT m 1 1 1")).isEqualTo("14");

            a.line("ML.LINREG.SET m 0 1 1 1");
            assertThat(a.line("ML.LINREG.PREDICT m 1 1 1")).as("the writer at once").isEqualTo("3");
            pass(INTERVAL.minusMillis(1));
            assertThat(b.line("ML.LINREG.PREDICT m 1 1 1"))
                    .as("within the interval")
                    .isEqualTo("14");
            pass(Duration.ofMillis(1));
            assertThat(b.line("ML.LINREG.PREDICT m 1 1 1")).as("after it").isEqualTo("3");
        }
    }

    @Test
    void aForestGrownByOneInstanceIsScoredWholeByTheOther() {
        try (MlLua a = instance();
                MlLua b = instance()) {
            a.line("ML.FOREST.ADD f 0 . NUMERIC x 1 .l LEAF 0 .r LEAF 1");
            assertThat(b.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("1");
            a.line("ML.FOREST.ADD f 1 . LEAF 0");
            pass(INTERVAL);
            assertThat(b.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("0.5");
            // b changes tree 0; a sees it after the interval.
            assertThat(a.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("0.5");
            b.line("ML.FOREST.ADD f 0 .r LEAF 3");
            assertThat(b.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("1.5");
            assertThat(a.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("0.5");
            pass(INTERVAL);
            assertThat(a.line("ML.FOREST.RUN f x:2 REGRESSION")).isEqualTo("1.5");
        }
    }

    @Test
    void aModelDeletedByAnotherInstanceIsGoneAfterTheInterval() {
        try (MlLua a = instance();
                MlLua b = instance()) {
            a.line("ML.KMEANS.SET k 2 1 0 10");
            assertThat(b.line("ML.KMEANS.PREDICT k 9")).isEqualTo("1");
            a.line("DEL k");
            pass(INTERVAL);
            assertThat(b.line("ML.KMEANS.PREDICT k 9"))
                    .isEqualTo("ERROR: ERR ML.KMEANS.PREDICT k: no model at key 'k'");
        }
    }

    @Test
    void anUnchangedModelCostsOneVersionCheckPerInterval() {
        try (MlLua a = instance()) {
            a.line("ML.LOGREG.SET l 0 1");
            a.line("ML.LOGREG.PREDICT l 1");
            long before = commands();
            for (int i = 0; i < 5; i++) {
                pass(INTERVAL);
                a.run("for i = 1, 100 do conn:command('ML.LOGREG.PREDICT', 'l', i) end");
            }
            assertThat(commands() - before).as("5 HGETs and the INFOs").isLessThanOrEqualTo(6);
        }
    }

    @Test
    void withTheRealClockAnUpdateIsSeenAfterTheInterval() throws Exception {
        Duration interval = Duration.ofMillis(200);
        try (MlLua a = new MlLua(REDIS.spec(), new RedisMlInterceptor(interval));
                MlLua b = new MlLua(REDIS.spec(), new RedisMlInterceptor(interval))) {
            a.line("ML.LOGREG.SET l 0 2 2");
            assertThat(b.line("ML.LOGREG.PREDICT l -3 1")).isEqualTo("0.017986209962091559");
            a.line("ML.LOGREG.SET l 0 0 0");
            Thread.sleep(interval.toMillis() + 50);
            assertThat(b.line("ML.LOGREG.PREDICT l -3 1")).isEqualTo("0.5");
        }
    }

    @Test
    void parallelInstancesLoadingTheSameForestInSetupNeverLoseOrMisorderATree() throws Exception {
        int instances = 4;
        int trees = 40;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                results.add(
                        pool.submit(
                                () -> {
                                    try (MlLua lua = new MlLua(REDIS.spec())) {
                                        return lua.run(
                                                        """
                                                for t = 0, %d do
                                                  local r = conn:command("ML.FOREST.ADD", "f", t, ".", "NUMERIC", "x", t,
                                                                         ".l", "LEAF", 1, ".r", "LEAF", 0)
                                                  if r ~= hiredis.status.OK then return "tree " .. t .. ": " .. tostring(r.name) end
                                                end
                                                return conn:command("ML.FOREST.RUN", "f", "x:9.5", "REGRESSION")
                                                """
                                                                .formatted(trees - 1))
                                                .tojstring();
                                    }
                                }));
            }
            for (Future<String> r : results) {
                // Trees with threshold 10..39 say 1: 30 of 40.
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo("0.75");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(REDIS.jedis().hget("f", "trees")).isEqualTo(String.valueOf(trees));
    }

    @Test
    void concurrentChangesToOneModelAreNeverLost() throws Exception {
        try (MlLua setup = new MlLua(REDIS.spec())) {
            setup.line("ML.MATRIX.SET m 1 1 1");
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                done.add(
                        pool.submit(
                                () -> {
                                    try (MlLua lua = new MlLua(REDIS.spec())) {
                                        lua.run(
                                                """
                                                for i = 1, 25 do
                                                  assert(conn:command("ML.MATRIX.SCALE", "m", 2) == hiredis.status.OK)
                                                end
                                                """);
                                    }
                                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (MlLua check = new MlLua(REDIS.spec())) {
            assertThat(check.line("ML.MATRIX.GET m")).isEqualTo("[1, 1, 1125899906842624]");
        }
    }

    private static long commands() {
        for (String line : REDIS.jedis().info("stats").split("\r\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_commands_processed");
    }
}
