package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink run} with the application jar on a standalone cluster whose JobManager and
 * TaskManager have Flink's jars only on their class path (scripts/flink-cluster), as on any Flink
 * installation: the jar brings the engine and its connectors, the cluster brings Flink. The
 * attached client prints the run's summary and the output holds every event once.
 */
class ClusterSubmitITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;
    private Map<String, String> env;
    private int jobManagerMetrics;
    private int taskManagerMetrics;

    @BeforeEach
    void startCluster() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        jobManagerMetrics = Distribution.freePort();
        taskManagerMetrics = Distribution.freePort();
        String config = Files.readString(Path.of("flink-conf/config.yaml"));
        assertThat(config).contains("port: 9250-9260");
        Files.writeString(
                conf.resolve("config.yaml"),
                config.replace(
                                "file:///tmp/dragonfly-mle/checkpoints",
                                dir.resolve("cp").toUri().toString())
                        // the JobManager starts first and takes the first port of the list
                        .replace(
                                "port: 9250-9260",
                                "port: " + jobManagerMetrics + "," + taskManagerMetrics));
        Files.copy(Path.of("flink-conf/log4j.properties"), conf.resolve("log4j.properties"));
        Files.copy(
                Path.of("flink-conf/log4j-console.properties"),
                conf.resolve("log4j-console.properties"));
        env =
                Map.of(
                        "DRAGONFLY_CLUSTER_DIR", dir.resolve("cluster").toString(),
                        "FLINK_CONF_DIR", conf.toString(),
                        "DRAGONFLY_CLUSTER_REST_PORT", Integer.toString(Distribution.freePort()),
                        "DRAGONFLY_CLUSTER_RPC_PORT", Integer.toString(Distribution.freePort()),
                        // the application jar the build made, whatever the sources say by now
                        "DRAGONFLY_JAR",
                                Distribution.unpack(Files.createDirectories(dir.resolve("dist")))
                                        .resolve("lib/dragonfly-mle.jar")
                                        .toString());
        cluster("start", "1");
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster("stop");
    }

    private String cluster(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/flink-cluster"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return Distribution.run(pb, dir);
    }

    @Test
    void flinkRunTakesTheApplicationJar() throws Exception {
        assertThat(cluster("classpath"))
                .contains("flink-runtime-2.")
                .doesNotContain("dragonfly-mle.jar")
                .doesNotContain("kafka-clients")
                .doesNotContain("luaj");
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        Files.createDirectories(dir.resolve("data"));
        Files.copy(
                TestRoots.examples().resolve("data/eve-sample.jsonl"),
                dir.resolve("data/eve-sample.jsonl"));
        Path logs = dir.resolve("logs");

        String client = cluster("submit", "-r", root.toString(), "-l", logs.toString());

        assertThat(client)
                .containsPattern("dragonfly-mle: finished in [0-9.]+ s: 1,090 events read")
                .containsPattern("\n  pass +in 1,090 +out 1,090 +dropped 0 +errors 0\n");
        assertThat(Files.readAllLines(logs.resolve("passthrough.json")))
                .isEqualTo(Files.readAllLines(dir.resolve("data/eve-sample.jsonl")));
    }

    /** flink-conf/config.yaml's Prometheus reporter, on the cluster's own processes. */
    @Test
    void theClustersProcessesServeTheirMetricsForPrometheus() throws Exception {
        assertThat(scrape(jobManagerMetrics))
                .contains("flink_jobmanager_numRegisteredTaskManagers");
        assertThat(scrape(taskManagerMetrics)).contains("flink_taskmanager_Status_JVM_CPU_Load");
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
