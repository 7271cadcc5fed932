package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-port}: while a streaming run goes, Prometheus's scrape of
 * http://127.0.0.1:PORT/metrics shows every stage's metrics under the names of Flink's Prometheus
 * reporter, with the run's counts; the port is on the loopback address only; and every metric the
 * Grafana dashboard in deploy/grafana queries is in that scrape.
 */
class PrometheusMetricsITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final int EVENTS = 300;
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir static Path dir;
    private static Process engine;
    private static Path stderr;
    private static int port;
    private static List<Sample> scrape;

    record Sample(String name, Map<String, String> labels, double value) {}

    @BeforeAll
    static void runAndScrape() throws Exception {
        Path eve = dir.resolve("eve.json");
        TestRoots.writeLines(eve, EveSamples.devLines().subList(0, EVENTS));
        Path root = TestRoots.copyExample("hello-world", dir);
        TestRoots.editConfig(
                root, "file://../data/eve-sample.jsonl", "tail://" + eve + "?start=beginning");
        TestRoots.editConfig(root, "redis_port = \"6379\"", "redis_port = " + REDIS.port());
        Path logs = dir.resolve("logs");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(Main.class.getName());
        command.addAll(
                List.of(
                        "-r",
                        root.toString(),
                        "-l",
                        logs.toString(),
                        "--www-port=-1",
                        "--metrics-port=" + port));
        stderr = dir.resolve("stderr.txt");
        engine =
                new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();

        // every event through both stages, and the reporter has seen the counts
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(engine.isAlive()).as(Files.readString(stderr)).isTrue();
            assertThat(System.nanoTime()).as("the run's counts in a scrape").isLessThan(deadline);
            List<Sample> s = scrapeNow();
            // the analyzer overlaps its events' Redis round trips: an event is done once routed
            if (s != null && value(s, "routedTo_output_events", "counter") == EVENTS) {
                scrape = s;
                break;
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.destroy();
            engine.waitFor(60, TimeUnit.SECONDS);
            engine.destroyForcibly();
        }
    }

    private static List<Sample> scrapeNow() throws Exception {
        HttpResponse<String> r;
        try {
            r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/metrics"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
            return null;
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    private static List<Sample> of(List<Sample> samples, String metric, String stage) {
        return samples.stream()
                .filter(s -> s.name().equals(OPERATOR + metric))
                .filter(s -> stage.equals(s.labels().get("operator_name")))
                .toList();
    }

    private static double value(List<Sample> samples, String metric, String stage) {
        return of(samples, metric, stage).stream().mapToDouble(Sample::value).sum();
    }

    @Test
    void theRunSaysWhereAndTheScrapeHasEveryStagesMetrics() throws Exception {
        assertThat(Files.readString(stderr))
                .contains(
                        "dragonfly-mle: Prometheus metrics http://127.0.0.1:" + port + "/metrics");
        List<String> perStage =
                new ArrayList<>(
                        List.of(
                                "eventsIn",
                                "eventsOut",
                                "bytesIn",
                                "drops",
                                "redisCalls",
                                "redisFailures",
                                "loopTimeNanos_count",
                                "redisLatencyNanos_count",
                                "routedTo_output_errors"));
        for (ErrorReason r : ErrorReason.values()) {
            perStage.add("errors_" + r.code());
        }
        for (String stage : List.of("eve", "counter")) {
            for (String metric : perStage) {
                assertThat(of(scrape, metric, stage)).as(metric + " of " + stage).isNotEmpty();
            }
            for (String histogram : List.of("loopTimeNanos", "redisLatencyNanos")) {
                assertThat(of(scrape, histogram, stage))
                        .as(histogram + " quantiles of " + stage)
                        .extracting(s -> s.labels().get("quantile"))
                        .contains("0.5", "0.99");
            }
        }
        assertThat(value(scrape, "eventsIn", "eve")).isEqualTo(EVENTS);
        assertThat(value(scrape, "eventsOut", "eve")).isEqualTo(EVENTS);
        assertThat(value(scrape, "routedTo_analyzer_counter", "eve")).isEqualTo(EVENTS);
        assertThat(value(scrape, "eventsIn", "counter")).isEqualTo(EVENTS);
        assertThat(value(scrape, "routedTo_output_events", "counter")).isEqualTo(EVENTS);
        assertThat(value(scrape, "redisCalls", "counter")).isGreaterThanOrEqualTo(EVENTS);
        assertThat(value(scrape, "redisFailures", "counter")).isZero();
        assertThat(value(scrape, "errors_script_error", "counter")).isZero();
        assertThat(value(scrape, "drops", "counter")).isZero();
        assertThat(value(scrape, "loopTimeNanos_count", "counter"))
                .as("one loop call in 16 timed")
                .isEqualTo(EVENTS / 16);
    }

    @Test
    void onlyTheLoopbackAddressServesThem() throws Exception {
        String other = null;
        for (var nic :
                java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var address : java.util.Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    other = address.getHostAddress();
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                other != null, "this machine has no address but the loopback one");
        try (java.net.Socket s = new java.net.Socket()) {
            String address = other;
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> s.connect(new java.net.InetSocketAddress(address, port), 2000))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsInTheScrape() throws Exception {
        JsonNode dashboard =
                new ObjectMapper().readTree(Path.of("deploy/grafana/dragonfly-mle.json").toFile());
        Set<String> queried = new TreeSet<>();
        Set<String> grouped = new TreeSet<>();
        Pattern metric = Pattern.compile("\\bflink_[a-zA-Z0-9_]+");
        Pattern by = Pattern.compile("by \\(([a-z_, ]+)\\)");
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.findValues("definition").forEach(e -> expressions.add(e.asText()));
        assertThat(expressions).hasSizeGreaterThan(10);
        for (String expr : expressions) {
            Matcher m = metric.matcher(expr);
            while (m.find()) {
                queried.add(m.group());
            }
            Matcher b = by.matcher(expr);
            while (b.find()) {
                for (String label : b.group(1).split(",")) {
                    grouped.add(label.trim());
                }
            }
        }
        Set<String> scraped = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        for (Sample s : scrape) {
            scraped.add(s.name());
            labels.addAll(s.labels().keySet());
        }
        assertThat(scraped).as("metrics the dashboard queries").containsAll(queried);
        assertThat(labels)
                .as("labels the dashboard groups by")
                .containsAll(grouped)
                .contains("job_name");
    }
}
