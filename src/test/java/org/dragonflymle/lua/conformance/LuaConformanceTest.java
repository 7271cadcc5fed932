package org.dragonflymle.lua.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential conformance harness: every corpus case (src/test/resources/conformance, one file
 * per library group) and {@value #DEFAULT_GENERATED} generated cases run in the engine's script
 * host, as an analyzer's loop, and under the real LuaJIT 2.1; every difference not explained by a
 * {@link KnownDeviation} fails the test, printed with the case, both outcomes and, for generated
 * cases, the seed and the smallest case that still differs. The seed is random per run unless the
 * system property {@code conformance.seed} gives one; {@code conformance.cases} sets the count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LuaConformanceTest {

    static final int DEFAULT_GENERATED = 100_000;
    private static final int GENERATED_BATCH = 10_000;

    private Path tmp;
    private EngineRunner engine;
    private LuajitRunner luajit;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(LuajitRunner.available(), LuajitRunner.MISSING);
        tmp = Files.createTempDirectory("conformance");
        engine = new EngineRunner(tmp.resolve("engine"));
        luajit = new LuajitRunner(tmp.resolve("luajit"));
    }

    @AfterAll
    void stop() throws IOException {
        if (engine != null) {
            engine.close();
        }
        if (tmp != null) {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void corpusMatchesLuajit() throws Exception {
        List<List<ConformanceCase>> groups = new ArrayList<>();
        for (String group : CorpusReader.GROUPS) {
            groups.add(CorpusReader.read(group));
        }
        int size = groups.stream().mapToInt(List::size).sum();
        assertThat(size).as("corpus size").isGreaterThanOrEqualTo(400);
        List<Map<String, String>> expected = luajit.run(groups, false);
        Comparison comparison = new Comparison();
        for (int i = 0; i < groups.size(); i++) {
            comparison.add(groups.get(i), expected.get(i), engine.run(groups.get(i), false));
        }
        System.out.println("conformance corpus: " + comparison.summary());
        assertThat(comparison.unexplained)
                .as(
                        "corpus cases that differ from LuaJIT (%s):%n%s",
                        comparison.summary(),
                        comparison.unexplained.stream()
                                .map(Object::toString)
                                .collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void generatedCasesMatchLuajit() throws Exception {
        long seed = Long.getLong("conformance.seed", System.nanoTime());
        int count = Integer.getInteger("conformance.cases", DEFAULT_GENERATED);
        System.out.println("conformance generated cases: seed " + seed + ", " + count + " cases");
        List<ConformanceCase> cases = new CaseGenerator(seed).generate(count);
        List<List<ConformanceCase>> batches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i += GENERATED_BATCH) {
            batches.add(cases.subList(i, Math.min(cases.size(), i + GENERATED_BATCH)));
        }
        List<Map<String, String>> expected = luajit.run(batches, true);
        Comparison comparison = new Comparison();
        for (int i = 0; i < batches.size(); i++) {
            comparison.add(batches.get(i), expected.get(i), engine.run(batches.get(i), true));
        }
        System.out.println("conformance generated: " + comparison.summary());
        if (!comparison.unexplained.isEmpty()) {
            Comparison.Difference first = comparison.unexplained.get(0);
            Comparison.Difference smallest = new Shrinker(engine, luajit).shrink(first);
            throw new AssertionError(
                    comparison.unexplained.size()
                            + " of "
                            + count
                            + " generated cases differ from LuaJIT; seed "
                            + seed
                            + " (rerun with -Dconformance.seed="
                            + seed
                            + ")\nsmallest failing case:\n"
                            + smallest
                            + "\nfirst ones as generated:\n"
                            + comparison.unexplained.stream()
                                    .limit(20)
                                    .map(Object::toString)
                                    .collect(Collectors.joining("\n")));
        }
    }
}
