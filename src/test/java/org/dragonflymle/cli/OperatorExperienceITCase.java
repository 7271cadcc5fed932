package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.os.Executables;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * What an operator sees while the hello-world example runs in local mode: the dashboard's address
 * and the job's stages in it (REST API and the page itself in headless Chromium), the stages'
 * metrics, the analyzers' explanations served from ROOT/www, progress on the terminal, the summary,
 * one log line per problem and the stats lines.
 *
 * <p>The counter's {@code setup()} waits for a Redis key, which holds the job open without using
 * CPU while the test looks at it; the last test releases it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorExperienceITCase {

    /** What CI needs for the browser check; without it that check is skipped. */
    static final String CHROMIUM_APT = "apt-get install -y chromium";

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DASHBOARD =
            Pattern.compile(
                    "Flink dashboard (http://127\\.0\\.0\\.1:\\d+/) \\(this job: (\\S+)\\)");
    private static final Pattern WWW =
            Pattern.compile("analyzer explanations (http://127\\.0\\.0\\.1:\\d+/) ");

    private Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private CompletableFuture<Integer> run;
    private Path logs;
    private String dashboard;
    private String jobId;
    private String www;

    @BeforeAll
    void startTheExampleHeldInSetup(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path root = TestRoots.copyExample("hello-world", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        List<String> lines =
                new ArrayList<>(
                        TestRoots.readLines(TestRoots.examples().resolve("data/eve-sample.jsonl")));
        lines.add(7, "{\"event_type\":\"dns\", broken");
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), lines);
        TestRoots.write(
                root,
                "analyzer/event-type-counter.lua",
                """
                local redis
                function setup()
                  redis = assert(hiredis.connect())
                  for i = 1, 120 do  -- the test pushes "gate" when it has looked
                    local r = redis:command("BLPOP", "gate", 1)
                    if type(r) == "table" and r[1] == "gate" then break end
                  end
                end
                function loop(msg)
                  redis:command("INCR", "dragonfly:event_type:" .. msg.event_type)
                  dragonfly.output_event(default_output, msg)
                end
                """);
        logs = dir.resolve("logs");
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        String[] args = {
            "-r",
            root.toString(),
            "-l",
            logs.toString(),
            "--progress=tty",
            "--www-port=0",
            "--stats-interval=1"
        };
        run = CompletableFuture.supplyAsync(() -> Main.run(args, System.out, errStream));
        Matcher d = awaitLine(DASHBOARD);
        dashboard = d.group(1);
        jobId = d.group(2).replaceAll(".*/job/running/([0-9a-f]+)/overview", "$1");
        www = awaitLine(WWW).group(1);
    }

    @AfterAll
    void releaseIfStillHeld() throws Exception {
        try (Jedis jedis = REDIS.newJedis()) {
            jedis.rpush("gate", "go");
        }
        if (run != null) {
            run.get(120, TimeUnit.SECONDS);
        }
    }

    private Matcher awaitLine(Pattern p) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until) {
            Matcher m = p.matcher(terminal());
            if (m.find()) {
                return m;
            }
            if (run.isDone()) {
                throw new AssertionError("the run ended early: " + terminal());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line " + p + " in: " + terminal());
    }

    private String terminal() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode job() throws Exception {
        return JSON.readTree(get(dashboard + "jobs/" + jobId).body());
    }

    @Test
    @Order(1)
    void theDashboardListsTheRunningJobsStagesByTag() throws Exception {
        JsonNode job = job();

        assertThat(job.get("name").asText()).startsWith("dragonfly-mle ");
        List<String> vertices = new ArrayList<>();
        job.get("vertices").forEach(v -> vertices.add(v.get("name").asText()));
        assertThat(vertices)
                .contains(
                        "Source: source:eve -> eve",
                        "counter",
                        "output:events: Writer",
                        "output:errors: Writer");
        assertThat(dashboard).startsWith("http://127.0.0.1:");
    }

    /** The counter's, from its own task: an analyzer that calls Redis runs in its own thread. */
    @Test
    @Order(2)
    void eachStageHasItsMetricsInTheDashboard() throws Exception {
        String vertex = null;
        for (JsonNode v : job().get("vertices")) {
            if (v.get("name").asText().equals("counter")) {
                vertex = v.get("id").asText();
            }
        }
        List<String> names = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until && !names.contains("0.counter.eventsIn")) {
            names.clear();
            JSON.readTree(
                            get(dashboard + "jobs/" + jobId + "/vertices/" + vertex + "/metrics")
                                    .body())
                    .forEach(m -> names.add(m.get("id").asText()));
            Thread.sleep(500);
        }

        assertThat(names)
                .contains(
                        "0.counter.eventsIn",
                        "0.counter.eventsOut",
                        "0.counter.drops",
                        "0.counter.redisCalls",
                        "0.counter.errors.script_error",
                        "0.counter.routedTo.output.events",
                        "0.counter.bytesIn");
        assertThat(names).anyMatch(n -> n.startsWith("0.counter.loopTimeNanos"));
        assertThat(names).anyMatch(n -> n.startsWith("0.counter.redisLatencyNanos"));
    }

    @Test
    @Order(3)
    void theAnalyzersExplanationsAreServedAsTheCEngineServedThem() throws Exception {
        HttpResponse<String> counter = get(www + "www/counter.json");
        assertThat(counter.statusCode()).isEqualTo(200);
        assertThat(counter.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(counter.body()).get("name").asText())
                .isEqualTo("Event type counter");

        assertThat(get(www + "www/").body()).isEqualTo("[\"/www/counter.json\",\"/www/eve.json\"]");
        assertThat(get(www + "www/nope.json").statusCode()).isEqualTo(404);
        assertThat(get(www + "www/..%2Fconfig%2Fconfig.lua").statusCode()).isEqualTo(404);
        assertThat(get(www).body())
                .contains("<a href=\"/www/counter.json\">counter</a>")
                .contains("analyzer/event-type-counter.lua")
                .contains("Counts events per event_type in Redis")
                .contains("<a href=\"" + dashboard + "\">Flink dashboard</a>");
    }

    @Test
    @Order(4)
    void theDashboardPageRendersTheStagesInARealBrowser() throws Exception {
        String chromium = findChromium();
        Assumptions.assumeTrue(
                chromium != null,
                "chromium is not installed, so the dashboard page was checked through its REST API"
                        + " only; install it with: "
                        + CHROMIUM_APT);
        Path profile = Files.createTempDirectory(dir, "chromium-");
        Path dom = dir.resolve("dom.html");
        Process p =
                new ProcessBuilder(
                                chromium,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--user-data-dir=" + profile,
                                "--virtual-time-budget=10000",
                                "--dump-dom",
                                dashboard + "#/job/running/" + jobId + "/overview")
                        .redirectOutput(dom.toFile())
                        .redirectError(dir.resolve("chromium.log").toFile())
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();

        String page = Files.readString(dom).replace("&gt;", ">");
        assertThat(page)
                .contains("Apache Flink Dashboard")
                .contains("dragonfly-mle " + dir.resolve("hello-world"))
                .contains("Source: source:eve -> eve")
                .contains("counter")
                .contains("output:events: Writer");
    }

    private static String findChromium() {
        Path chromium = Executables.find("chromium");
        if (chromium == null) {
            chromium = Executables.find("chromium-browser");
        }
        return chromium == null ? null : chromium.toString();
    }

    @Test
    @Order(5)
    void onceReleasedItShowsProgressTheSummaryOneLinePerProblemAndTheStatsLines() throws Exception {
        REDIS.jedis().rpush("gate", "go");
        int exit = run.get(120, TimeUnit.SECONDS);
        String terminal = terminal();

        assertThat(exit).as(terminal).isZero();
        assertThat(terminal)
                .containsPattern(
                        "\rdragonfly-mle: [\\d,]+ events read, [\\d,]+ events/s, \\d+\\.\\d% of 682\\.7 KB")
                .containsPattern(
                        "dragonfly-mle: finished in \\d+\\.\\d s: 1,091 events read, [\\d,]+ events/s")
                .containsPattern(
                        "\n  eve +in 1,091  out 1,090  dropped 0  errors 1 \\(malformed_json 1\\)\n")
                .containsPattern("\n  counter +in 1,090  out 1,090  dropped 0  errors 0\n")
                .contains("  outputs: events 1,090, errors 1, log 0, stats 0");
        // one line per problem in the engine's log (and on the real terminal), not one per event
        List<String> problemLines =
                Files.readAllLines(logs.resolve("dragonfly-mle.log")).stream()
                        .filter(l -> l.contains("malformed_json"))
                        .toList();
        assertThat(problemLines)
                .singleElement()
                .asString()
                .contains(
                        "WARN  StageMetrics - inputs[1] (tag \"eve\") filter/eve-filter.lua:"
                                + " malformed_json: expected a string key at byte 21 (the event is"
                                + " in the error output;");
        assertThat(terminal).doesNotContain("\tat ");

        List<JsonNode> stats = new ArrayList<>();
        for (String l : Files.readAllLines(logs.resolve("dragonfly-stats.log"))) {
            stats.add(JSON.readTree(l));
        }
        JsonNode lastCounter =
                stats.stream()
                        .filter(s -> s.get("tag").asText().equals("counter"))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertThat(lastCounter.get("stats").asText()).isEqualTo("stage");
        assertThat(lastCounter.get("events_in").asLong()).isEqualTo(1090);
        assertThat(lastCounter.at("/routed_to/output/events").asLong()).isEqualTo(1090);
        assertThat(lastCounter.at("/redis/calls").asLong()).isGreaterThanOrEqualTo(1090);
        assertThat(lastCounter.at("/loop_us/sampled").asLong()).isEqualTo(1090 / 16);
        JsonNode lastEve =
                stats.stream()
                        .filter(s -> s.get("tag").asText().equals("eve"))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertThat(lastEve.at("/errors/malformed_json").asLong()).isEqualTo(1);
        assertThat(REDIS.jedis().get("dragonfly:event_type:dns")).isNotNull();
    }
}
