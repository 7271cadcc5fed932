package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dragonfly-mle test --shadow}: the tests of examples/hello-world run through the live
 * counter and, beside it, a shadow version; the differences are shown, the live expectations
 * decide.
 */
class ShadowTestCommandITCase {

    @TempDir Path dir;

    record Run(int exit, String out) {}

    private static Run test(Path root, String... args) {
        List<String> all = new ArrayList<>(List.of("-r", root.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            exit = TestCommand.run(all.toArray(new String[0]), o, o);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    private Path withShadow(String edit) throws Exception {
        TestRoots.copyExample("data", dir);
        Path root = TestRoots.copyExample("hello-world", dir);
        String live = Files.readString(root.resolve("analyzer/event-type-counter.lua"));
        String from = "  dragonfly.output_event(default_output, msg)";
        assertThat(live).contains(from);
        TestRoots.write(root, "analyzer/counter-v2.lua", live.replace(from, edit + "\n" + from));
        TestRoots.editConfig(
                root,
                "script=\"event-type-counter.lua\",",
                "script=\"event-type-counter.lua\", shadow={ script=\"counter-v2.lua\" },");
        return root;
    }

    @Test
    void theShadowsDifferencesAreShownAndTheLiveTestsStillDecide() throws Exception {
        Path root = withShadow("  if msg.event_type == \"dns\" then msg.event_type = \"oops\" end");

        Run run = test(root, "--shadow");

        // the live expectations pass: the shadow's INCRs went to its own database
        assertThat(run.exit()).as(run.out()).isZero();
        List<String> diffs =
                run.out().lines().filter(l -> l.contains("shadow of counter differs")).toList();
        // tests/counter.lua sends two dns events through the counter
        assertThat(diffs).hasSize(2);
        assertThat(diffs)
                .allMatch(
                        l ->
                                l.contains(
                                        "\"changed\":{\"event_type\":{\"live\":\"dns\","
                                                + "\"shadow\":\"oops\"}}"));
        assertThat(diffs.get(0)).contains("differs on events[1]");
        assertThat(run.out()).contains("3 passed, 0 failed").endsWith("2 shadow differences\n");

        Run plain = test(root);
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).doesNotContain("shadow");
    }

    @Test
    void explainShowsTheShadowItsScriptAndWhereItsDifferencesGo() throws Exception {
        Path root = withShadow("  local unchanged = true");
        Path logs = dir.resolve("logs");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            exit =
                    Main.run(
                            new String[] {
                                "-r", root.toString(), "-l", logs.toString(), "--explain"
                            },
                            o,
                            o);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text)
                .containsPattern(
                        "counter\\.shadow +shadow +analyzer/counter-v2\\.lua +parallelism 1")
                .contains("counter.shadow -> output:counter.shadow")
                .contains(
                        "counter.shadow file://"
                                + logs.resolve("shadow-counter.json")
                                + "  (differences)")
                .containsPattern(
                        "counter +-> counter\\.shadow +forward +each event and what the live"
                                + " version did");
    }

    @Test
    void aShadowThatDoesTheSameReportsNothing() throws Exception {
        Run run = test(withShadow("  local unchanged = true"), "--shadow");

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).doesNotContain("differs").endsWith("0 shadow differences\n");
    }
}
