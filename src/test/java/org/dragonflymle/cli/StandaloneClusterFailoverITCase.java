package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a real standalone Flink cluster started by scripts/flink-cluster (a JobManager and
 * TaskManagers as separate JVMs from Flink's jars only): the TaskManager running the job is killed
 * with SIGKILL mid-stream, the job fails over to the spare one from its last checkpoint, and the
 * output file holds every event exactly once.
 */
class StandaloneClusterFailoverITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    private static final int REST_PORT = freePort();
    private static final int RPC_PORT = freePort();

    /**
     * The cluster has Flink's jars; the job's own classes and libraries (what the application jar
     * will hold, not packaged yet when this test runs) go on every process's class path.
     */
    private Map<String, String> clusterEnv() throws IOException {
        return Map.of(
                "DRAGONFLY_CLUSTER_DIR", dir.resolve("cluster").toString(),
                "FLINK_CONF_DIR", dir.resolve("conf").toString(),
                "DRAGONFLY_CLUSTER_REST_PORT", Integer.toString(REST_PORT),
                "DRAGONFLY_CLUSTER_RPC_PORT", Integer.toString(RPC_PORT),
                "DRAGONFLY_CLUSTER_EXTRA_CLASSPATH",
                        Path.of("target/classes").toAbsolutePath()
                                + ":"
                                + Files.readString(Path.of("target/application-classpath.txt"))
                                        .strip());
    }

    private static int freePort() {
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String cluster(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/flink-cluster"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(clusterEnv());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(
                    "scripts/flink-cluster " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster("stop");
    }

    @Test
    void losingTheTaskManagerLosesAndRepeatsNothing() throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(
                conf.resolve("config.yaml"),
                Files.readString(Path.of("flink-conf/config.yaml"))
                        + "heartbeat:\n  interval: 1000\n  timeout: 8000\n");
        Files.copy(Path.of("flink-conf/log4j.properties"), conf.resolve("log4j.properties"));
        cluster("start", "1");

        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.write(
                root,
                "filter/pass-filter.lua",
                """
                local conn
                function setup() conn = assert(hiredis.connect()) end
                -- slow until the test has killed the first TaskManager (Redis key "go"), so the
                -- job cannot finish first however long the spare TaskManager takes to come up
                local go = false
                function loop(msg)
                  if not go and msg.seq >= 1000 then go = conn:command("GET", "go") == "1" end
                  local pause = go and 0.002 or 0.02
                  local t = os.clock() while os.clock() - t < pause do end
                  dragonfly.analyze_event(default_analyzer, msg)
                end
                """);
        List<String> input = new ArrayList<>();
        List<String> sample = EveSamples.devLines();
        for (int i = 0; i < 6_000; i++) {
            input.add("{\"seq\":" + i + "," + sample.get(i % sample.size()).substring(1));
        }
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);
        Path logs = dir.resolve("logs");
        Path out = logs.resolve("passthrough.json");

        AsyncEngine engine = new AsyncEngine(root, logs);
        engine.conf.setString("restart-strategy.type", "fixed-delay");
        engine.conf.setString("restart-strategy.fixed-delay.attempts", "5");
        engine.conf.setString("restart-strategy.fixed-delay.delay", "1 s");
        JobClient job =
                engine.start(
                        StreamExecutionEnvironment.createRemoteEnvironment(
                                "127.0.0.1", REST_PORT, engine.conf),
                        "failover");

        waitFor(() -> AsyncEngine.lines(out) >= 1_000, Duration.ofSeconds(90), "1,000 events out");
        cluster("start-taskmanager", "2");
        waitFor(() -> taskManagers() == 2, Duration.ofSeconds(60), "the spare TaskManager");
        assertThat(AsyncEngine.lines(out))
                .as("still running when the TaskManager is killed")
                .isLessThan(input.size());
        cluster("kill-taskmanager", "1");
        REDIS.jedis().set("go", "1");

        job.getJobExecutionResult().get();
        List<String> output = TestRoots.readLines(out);
        assertThat(output).as("every event exactly once, in order").isEqualTo(input);
        assertThat(restarts(job)).isGreaterThanOrEqualTo(1);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition c, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String rest(String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + REST_PORT + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int taskManagers() throws Exception {
        String body = rest("/overview");
        return Integer.parseInt(body.replaceAll(".*\"taskmanagers\":(\\d+).*", "$1"));
    }

    private static int restarts(JobClient job) throws Exception {
        String body = rest("/jobs/" + job.getJobID() + "/exceptions");
        return body.split("\"exceptionName\"").length - 1;
    }
}
