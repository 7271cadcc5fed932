package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --explain}: the generated graph, printed without running anything. */
class ExplainITCase {

    @TempDir Path dir;

    record Run(int exit, String out, String err) {}

    private Run explain(Path root, String flag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit =
                    Main.run(
                            new String[] {
                                "-r", root.toString(), "-l", dir.resolve("logs").toString(), flag
                            },
                            o,
                            e);
        }
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path twoAnalyzers() {
        Path root = TestRoots.copyExample("hello-world", dir);
        TestRoots.editConfig(
                root,
                "{ tag=\"counter\", script=\"event-type-counter.lua\", default_analyzer=\"\",",
                "{ tag=\"counter\", script=\"event-type-counter.lua\", default_analyzer=\"\","
                        + " parallelism=2,");
        return root;
    }

    @Test
    void textNamesEveryStageEdgeOutputAndTaskWithoutRunning() {
        Path root = twoAnalyzers();
        long t0 = System.nanoTime();

        Run run = explain(root, "--explain");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("pipeline " + root.resolve("config/config.lua"))
                .containsPattern(
                        "eve +input +filter/eve-filter.lua +parallelism 1 +default_analyzer \"counter\"")
                .containsPattern(
                        "counter +analyzer +analyzer/event-type-counter.lua +parallelism 2"
                                + " +default_analyzer \"\" +default_output \"events\"")
                .containsPattern(
                        "eve +file://.*/examples/data/eve-sample.jsonl|eve +file://.*/data/eve-sample.jsonl")
                .containsPattern(
                        "events +file://" + dir.resolve("logs") + "/hello-world-events.json")
                .containsPattern("source:eve +-> eve +forward")
                .containsPattern("eve +-> counter +rebalance +analyze_event")
                .containsPattern("counter +-> output:events +rebalance +output_event")
                .contains("Source: source:eve -> eve  parallelism 1")
                .contains("counter  parallelism 2");
        assertThat(run.err()).doesNotContain("dashboard").doesNotContain("redis-server");
        assertThat(dir.resolve("logs/hello-world-events.json")).doesNotExist();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000);
    }

    @Test
    void dotIsAGraphvizDigraphWithOneNodePerOperator() {
        Run run = explain(twoAnalyzers(), "--explain=dot");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("digraph \"dragonfly-mle\" {").endsWith("}\n");
        assertThat(run.out())
                .containsPattern("n\\d+ \\[shape=cds.*label=\"source eve\\\\nfile://")
                .containsPattern(
                        "n\\d+ \\[shape=box.*label=\"analyzer counter\\\\nanalyzer/event-type-counter.lua\\\\nparallelism 2\"\\]")
                .containsPattern("n\\d+ -> n\\d+ \\[label=\"analyze_event \\(rebalance\\)\"\\]")
                .containsPattern("n\\d+ -> n\\d+ \\[label=\"errors\", style=dashed, color=gray\\]");
    }

    @Test
    void theCheckpointIntervalExplainedIsTheOneTheRunUses() throws Exception {
        Path replay = TestRoots.copyExample("hello-world", dir.resolve("replay"));
        Path stream = TestRoots.copyExample("hello-world", dir.resolve("stream"));
        TestRoots.editConfig(stream, "file://../data/eve-sample.jsonl", "tail:///var/log/eve.json");
        Path configured = TestRoots.copyExample("hello-world", dir.resolve("configured"));
        TestRoots.appendConfig(configured, "checkpoint = { interval = \"5s\" }");

        assertThat(explain(replay, "--explain").out())
                .contains("checkpoints every 1000 ms (default) in " + checkpointDir());
        assertThat(explain(stream, "--explain").out())
                .contains("checkpoints every 10000 ms (default) in " + checkpointDir());
        assertThat(explain(configured, "--explain").out())
                .contains("checkpoints every 5000 ms in " + checkpointDir())
                .doesNotContain("checkpoints off");

        for (Path root : List.of(replay, stream, configured)) {
            LaunchOptions options =
                    LaunchOptions.parse(
                            new String[] {
                                "-r", root.toString(), "-l", dir.resolve("logs").toString()
                            });
            PipelineSpec spec = ConfigLoader.load(options.root(), options.logDir());
            Configuration conf = new Configuration();
            Recovery.configure(conf, spec, options, System.err);
            assertThat(explain(root, "--explain").out())
                    .contains(
                            "checkpoints every "
                                    + conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                                            .toMillis()
                                    + " ms");
        }
    }

    private String checkpointDir() {
        return dir.resolve("logs/checkpoints").toUri().toString();
    }

    @Test
    void aBadConfigStillExitsTwoAndABadFormatIsAUsageError() {
        Path root = TestRoots.copyExample("hello-world", dir);
        TestRoots.editConfig(root, "default_analyzer=\"counter\"", "default_analyzer=\"countr\"");

        Run bad = explain(root, "--explain");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("inputs[1]").contains("countr");

        Run format = explain(root, "--explain=svg");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err())
                .contains("--explain takes text or dot, not svg")
                .contains("--explain[=dot]");
    }
}
