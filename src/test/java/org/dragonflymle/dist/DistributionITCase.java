package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as a user gets it: unpacked into an empty directory, its launcher runs
 * the bundled example with nothing but Java (no Maven on the PATH, no checkout around it), starts a
 * redis-server for the run, and stops a streaming run on SIGTERM with its summary. Its application
 * jar carries no Flink, and no class is both in it and in a Flink jar next to it.
 */
class DistributionITCase {

    @TempDir Path dir;
    private Path home;
    private Path tools;

    @BeforeEach
    void unpack() throws Exception {
        home = Distribution.unpack(dir);
        // a PATH with what bin/dragonfly-mle uses and nothing else: no mvn, no java (JAVA_HOME)
        tools = Files.createDirectories(dir.resolve("path"));
        for (String tool : List.of("bash", "dirname", "readlink", "id")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
    }

    private ProcessBuilder launcher(String... args) {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/dragonfly-mle").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", tools.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", dir.toString());
        return pb;
    }

    /** The bundled example with its Redis moved to a free port, so the launcher starts one. */
    private Path helloWorld() throws Exception {
        Path root = home.resolve("examples/hello-world");
        TestRoots.editConfig(
                root, "redis_port = \"6379\"", "redis_port = \"" + Distribution.freePort() + "\"");
        return root;
    }

    @Test
    void layoutIsBinLibConfExamples() throws Exception {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/dragonfly-mle")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(home.resolve("lib/dragonfly-mle.jar")).isRegularFile();
        assertThat(home.resolve("lib/java-modules.args"))
                .content()
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                .doesNotContain("${");
        assertThat(home.resolve("conf/config.yaml")).isRegularFile();
        assertThat(home.resolve("conf/log4j.properties")).isRegularFile();
        assertThat(home.resolve("examples/hello-world/config/config.lua")).isRegularFile();
        assertThat(home.resolve("examples/data/eve-sample.jsonl")).isRegularFile();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("flink-runtime-2."))
                    .anyMatch(n -> n.startsWith("flink-metrics-prometheus-"))
                    .anyMatch(n -> n.startsWith("log4j-core-"))
                    .anyMatch(n -> n.startsWith("embedded-redis-"))
                    .noneMatch(n -> n.startsWith("kafka-clients-"))
                    .noneMatch(n -> n.startsWith("luaj-"));
        }
    }

    @Test
    void theApplicationJarCarriesNoFlinkAndSharesNoClassWithLib() throws Exception {
        Path app = home.resolve("lib/dragonfly-mle.jar");
        Map<String, String> owner = new HashMap<>();
        try (ZipFile jar = new ZipFile(app.toFile())) {
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    owner.put(name, "dragonfly-mle.jar");
                }
            }
        }
        assertThat(owner).containsKey("org/dragonflymle/cli/Main.class");
        assertThat(owner)
                .containsKey("org/apache/kafka/clients/consumer/KafkaConsumer.class")
                .containsKey("org/luaj/vm2/Globals.class");
        Set<String> kafkaConnector =
                entries(jarOf("org/apache/flink/connector/kafka/source/KafkaSource.class"));
        List<String> flinkInApp =
                owner.keySet().stream()
                        .filter(n -> n.startsWith("org/apache/flink/"))
                        .filter(n -> !kafkaConnector.contains(n))
                        .toList();
        assertThat(flinkInApp).as("Flink classes other than the Kafka connector's").isEmpty();

        List<String> twice = new ArrayList<>();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path lib : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (lib.equals(app)) {
                    continue;
                }
                try (ZipFile jar = new ZipFile(lib.toFile())) {
                    for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (owner.containsKey(name) && !name.contains("module-info")) {
                            twice.add(
                                    name + " in " + lib.getFileName() + " and the application jar");
                        }
                    }
                }
            }
        }
        assertThat(twice).as("classes on the local class path twice").isEmpty();
    }

    /** The jar on this test's class path that holds {@code resource}. */
    private static Path jarOf(String resource) throws Exception {
        String url = DistributionITCase.class.getClassLoader().getResource(resource).toString();
        assertThat(url).startsWith("jar:file:");
        return Path.of(java.net.URI.create(url.substring(4, url.indexOf("!/"))));
    }

    private static Set<String> entries(Path jar) throws Exception {
        Set<String> names = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    @Test
    void theLauncherRunsTheExampleWithNoMavenAndStartsRedisForTheRun() throws Exception {
        Path root = helloWorld();
        Path logs = dir.resolve("logs");

        String terminal =
                Distribution.run(launcher("-r", root.toString(), "-l", logs.toString()), dir);

        assertThat(terminal)
                .contains("dragonfly-mle: no Redis answered")
                .containsPattern("dragonfly-mle: finished in [0-9.]+ s: 1,090 events read")
                .containsPattern("\n  eve +in 1,090 +out 1,090 +dropped 0 +errors 0\n")
                .containsPattern("\n  counter +in 1,090 +out 1,090 +dropped 0 +errors 0\n")
                .contains("  outputs: events 1,090, errors 0");
        assertThat(Files.readAllLines(logs.resolve("hello-world-events.json"))).hasSize(1090);
    }

    @Test
    void theTestCommandRunsTheExamplesTests() throws Exception {
        String out =
                Distribution.run(
                        launcher("test", "-r", home.resolve("examples/hello-world").toString()),
                        dir);
        assertThat(out).containsPattern("[1-9][0-9]* passed, 0 failed");
    }

    /** systemd's stop: SIGTERM to the main process, which is the JVM (the launcher execs it). */
    @Test
    void sigtermToTheLauncherEndsAStreamWithItsSummary() throws Exception {
        Path root = helloWorld();
        Path eve = dir.resolve("eve.json");
        TestRoots.writeLines(eve, EveSamples.devLines().subList(0, 100));
        TestRoots.editConfig(
                root, "file://../data/eve-sample.jsonl", "tail://" + eve + "?start=beginning");
        Path logs = dir.resolve("logs");
        Path err = dir.resolve("terminal.txt");
        Process p =
                launcher("-r", root.toString(), "-l", logs.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(err.toFile())
                        .start();
        Path out = logs.resolve("hello-world-events.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(out) || Files.readAllLines(out).size() < 100) {
            assertThat(p.isAlive()).as(Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("first events out").isLessThan(deadline);
            Thread.sleep(50);
        }

        p.destroy();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped in time").isTrue();
        String terminal = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(terminal).isZero();
        assertThat(terminal)
                .contains("dragonfly-mle: SIGTERM: stopping")
                .containsPattern("dragonfly-mle: stopped after [0-9.]+ s: 100 events read")
                .contains("dragonfly-mle: stopped by SIGTERM")
                .containsPattern("dragonfly-mle: stopped redis-server");
    }
}
