package org.dragonflymle.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.graph.JobGenerator;

/**
 * The engine's job as the launcher builds it (same config loading, Flink configuration and
 * checkpoint settings), submitted without waiting, so a test can stop it with a savepoint, cancel
 * it or kill what runs it mid-stream.
 */
final class AsyncEngine {

    final PipelineSpec spec;
    final Configuration conf;

    AsyncEngine(Path root, Path logs) throws Exception {
        spec = ConfigLoader.load(root, logs);
        LaunchOptions options =
                LaunchOptions.parse(new String[] {"-r", root.toString(), "-l", logs.toString()});
        conf = Main.flinkConfiguration(options);
        Recovery.configure(conf, spec, options, System.err);
    }

    /** Submits the job to a local MiniCluster of the given parallelism. */
    JobClient startLocal(String name, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return start(env, name);
    }

    /** Submits the job to {@code env} (e.g. a remote cluster's). */
    JobClient start(StreamExecutionEnvironment env, String name) throws Exception {
        new JobGenerator(spec, new Connectors(spec), null).generate(env);
        return env.executeAsync(name);
    }

    /** How many lines {@code file} holds now (0 when it does not exist yet). */
    static int lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> s = Files.lines(file)) {
            return (int) s.count();
        }
    }
}
