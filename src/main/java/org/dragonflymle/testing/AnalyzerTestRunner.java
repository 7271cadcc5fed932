package org.dragonflymle.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.redis.server.RedisServerProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * Runs analyzer tests against one throwaway redis-server (emptied before each test), printing one
 * line per test and, for a failure, every difference under it; ends with {@code N passed, M
 * failed}.
 *
 * <p>Test files are {@code ROOT/tests/**}{@code /*.lua} in path order; a file or directory whose
 * name starts with {@code _} is a helper for {@code require}, not a test. Scripts see the throwaway
 * server as config.lua's Redis (same password and database) and a temporary LOGDIR.
 */
public final class AnalyzerTestRunner {

    /** Where test files live under ROOT. */
    public static final String TESTS_DIR = "tests";

    private final PipelineSpec configured;
    private final PrintStream out;
    private boolean compareShadows;
    private int shadowDiffs;
    private List<String> lastShadowDiffs = List.of();

    /**
     * @param spec the validated pipeline of config.lua; its Redis address and LOGDIR are replaced
     *     for the run
     * @param out where the report goes
     */
    public AnalyzerTestRunner(PipelineSpec spec, PrintStream out) {
        this.configured = spec;
        this.out = out;
    }

    /**
     * Runs each shadow analyzer of config.lua beside its live version on the tests' events and
     * prints where they differ, under the test (the live version's expectations decide pass or
     * fail, as before).
     */
    public AnalyzerTestRunner comparingShadows() {
        this.compareShadows = true;
        return this;
    }

    /** The test files under ROOT/tests, or those named (a path, or a name under ROOT/tests). */
    public List<Path> select(List<String> names) throws TestFileException {
        Path dir = configured.root().resolve(TESTS_DIR);
        if (names.isEmpty()) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(f -> f.toString().endsWith(".lua"))
                        .filter(Files::isRegularFile)
                        .filter(f -> isTest(dir, f))
                        .sorted(Comparator.comparing(Path::toString))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Path> files = new ArrayList<>();
        for (String n : names) {
            Path p = Path.of(n);
            List<Path> candidates =
                    List.of(
                            p,
                            dir.resolve(n),
                            dir.resolve(n + ".lua"),
                            configured.root().resolve(n));
            Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
            if (found == null) {
                throw new TestFileException(
                        "no test " + n + " (looked for " + dir.resolve(n + ".lua") + ")");
            }
            files.add(found.toAbsolutePath().normalize());
        }
        return files;
    }

    private static boolean isTest(Path dir, Path f) {
        for (Path part : dir.relativize(f)) {
            if (part.toString().startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    /** Runs the tests in {@code files} and reports them; returns one result per test. */
    public List<TestResult> run(List<Path> files, Path logDir) {
        List<TestResult> results = new ArrayList<>();
        RedisSpec redisConfig = configured.redis();
        try (RedisServerProcess server = ThrowawayRedis.start(redisConfig);
                Jedis jedis =
                        new Jedis(
                                server.host(),
                                server.port(),
                                DefaultJedisClientConfig.builder()
                                        .password(redisConfig.password())
                                        .database(redisConfig.database())
                                        .build())) {
            PipelineSpec spec = ThrowawayRedis.pointedAt(configured, server, logDir);
            out.println(
                    "dragonfly-mle test: "
                            + configured.root()
                            + ": "
                            + files.size()
                            + (files.size() == 1 ? " test file" : " test files")
                            + ", throwaway Redis "
                            + server.describe());
            RedisFixtures redis = new RedisFixtures(jedis);
            TestFileReader reader = new TestFileReader(spec);
            ExpectationChecker checker = new ExpectationChecker(spec);
            for (Path file : files) {
                List<AnalyzerTest> tests;
                long t0 = System.nanoTime();
                try {
                    tests = reader.read(file);
                } catch (TestFileException e) {
                    report(new TestResult(shown(file), List.of(e.getMessage()), millisSince(t0)));
                    results.add(new TestResult(shown(file), List.of(e.getMessage()), 0));
                    continue;
                }
                for (AnalyzerTest test : tests) {
                    TestResult r = runOne(test, spec, redis, checker);
                    report(r);
                    for (String d : lastShadowDiffs) {
                        out.println("     " + d);
                    }
                    shadowDiffs += lastShadowDiffs.size();
                    results.add(r);
                }
            }
        }
        long passed = results.stream().filter(TestResult::passed).count();
        out.println();
        out.println(passed + " passed, " + (results.size() - passed) + " failed");
        if (compareShadows) {
            out.println(
                    shadowDiffs
                            + " shadow difference"
                            + (shadowDiffs == 1 ? "" : "s")
                            + (configured.shadows().isEmpty()
                                    ? " (config.lua has no shadow analyzer)"
                                    : ""));
        }
        return results;
    }

    private TestResult runOne(
            AnalyzerTest test, PipelineSpec spec, RedisFixtures redis, ExpectationChecker checker) {
        long t0 = System.nanoTime();
        List<String> failures;
        List<String> diffs = List.of();
        try (PipelineRun run = new PipelineRun(spec, compareShadows)) {
            redis.load(test);
            RunRecord record = run.run(test);
            failures = checker.check(test, record, redis);
            diffs = record.shadowDiffs();
        } catch (TestFileException e) {
            failures = List.of(e.getMessage());
        } catch (RuntimeException e) {
            failures = List.of("the test runner failed: " + e);
        }
        lastShadowDiffs = diffs;
        return new TestResult(test.name(), failures, millisSince(t0));
    }

    private void report(TestResult r) {
        out.println((r.passed() ? "PASS " : "FAIL ") + r.name() + "  " + r.millis() + " ms");
        for (String f : r.failures()) {
            out.println("     " + f.replace("\n", "\n     "));
        }
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(configured.root())
                ? configured.root().relativize(abs).toString()
                : abs.toString();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
