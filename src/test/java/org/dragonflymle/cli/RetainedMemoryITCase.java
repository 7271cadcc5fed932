package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * limits.max_retained_mb on the real engine: a script that keeps 1 MiB per event stops the job with
 * exit 1 and one line naming it and the limit, whether it is the first stage of its task or runs
 * chained inside another stage's call (where neither that stage's script nor its host may take the
 * stop for an error of its own event).
 */
class RetainedMemoryITCase {

    private static final String LEAK =
            "cache = {} n = 0\n"
                    + "function loop(msg)\n"
                    + "  n = n + 1 cache[n] = string.rep('x', 1048576) .. n\n"
                    + "  %s\n"
                    + "end\n";

    @ParameterizedTest
    @ValueSource(strings = {"filter", "analyzer"})
    void aScriptThatKeepsGrowingStopsTheJobNamingItAndTheLimit(String leaking, @TempDir Path dir)
            throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("config"));
        TestRoots.write(
                root,
                "config/config.lua",
                "limits = { max_retained_mb = 32 }\n"
                        + "inputs = { { tag=\"eve\", uri=\"file://"
                        + dir.resolve("in.jsonl")
                        + "\", script=\"f.lua\", default_analyzer=\"a\" } }\n"
                        + "analyzers = { { tag=\"a\", script=\"a.lua\", default_analyzer=\"\","
                        + " default_output=\"out\" } }\n"
                        + "outputs = { { tag=\"out\", uri=\"file://out.json\" } }\n");
        String pass = "dragonfly.analyze_event(default_analyzer, msg)";
        String out = "dragonfly.output_event(default_output, msg)";
        TestRoots.write(
                root,
                "filter/f.lua",
                leaking.equals("filter")
                        ? String.format(LEAK, pass)
                        : "function loop(msg) " + pass + " end\n");
        TestRoots.write(
                root,
                "analyzer/a.lua",
                leaking.equals("analyzer")
                        ? String.format(LEAK, out)
                        : "function loop(msg) " + out + " end\n");
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            input.add("{\"n\":" + i + "}");
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), input);

        Launcher.Result run = Launcher.run(root, dir.resolve("logs"));

        String script = leaking.equals("filter") ? "filter/f.lua" : "analyzer/a.lua";
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("dragonfly-mle: " + script + ": keeps more than ")
                .contains("more than limits.max_retained_mb = 32; the job stopped");
        Path errors = dir.resolve("logs/dragonfly-errors.log");
        assertThat(Files.exists(errors) ? TestRoots.readLines(errors) : List.of())
                .as("no stage took the stop for an error of its event")
                .isEmpty();
        assertThat(TestRoots.readLines(dir.resolve("logs/out.json")).size())
                .isLessThan(input.size());
    }
}
