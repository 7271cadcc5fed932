package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/'s container and Kubernetes files, checked offline (no Docker engine, no cluster here):
 * every file parses; every image tag, path, jar, class and Flink option they name exists in this
 * build; and the engine's command line each one runs is run here too, with {@code --explain}, on
 * the root it mounts: options parsed, config.lua and scripts loaded, the job graph built.
 */
class DeployFilesITCase {

    private static final String MAIN = "org.dragonflymle.cli.Main";
    private static final String USRLIB_JAR = "/opt/flink/usrlib/dragonfly-mle.jar";
    private static final String PROMETHEUS =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    @TempDir static Path dir;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        home = Distribution.unpack(dir);
    }

    @Test
    void everyFileParses() throws Exception {
        for (String yaml :
                List.of(
                        "deploy/docker/docker-compose.yml",
                        "deploy/kustomization.yaml",
                        "deploy/kubernetes/flinkdeployment.yaml",
                        "deploy/kubernetes/flink-data-pvc.yaml",
                        "flink-conf/config.yaml")) {
            assertThat(DeployFiles.yaml(yaml).isObject()).as(yaml).isTrue();
        }
        assertThat(
                        new ObjectMapper()
                                .readTree(Path.of("deploy/grafana/dragonfly-mle.json").toFile())
                                .path("panels"))
                .isNotEmpty();
    }

    @Test
    void theDockerfileBuildsOnTheFlinkImageOfThisBuild() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("deploy/docker/Dockerfile"));
        assertThat(lines)
                .contains("FROM flink:" + DeployFiles.pomProperty("flink.version") + "-java17");
        List<String> copies = lines.stream().filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).anyMatch(l -> l.endsWith(" " + USRLIB_JAR));
        for (String copy : copies) {
            String[] words = copy.split("\\s+");
            Path source = Path.of(words[words.length - 2]);
            assertThat(source).as(copy + ": the build context has it").exists();
        }
        assertThat(Path.of("target/dragonfly-mle.jar"))
                .hasSameBinaryContentAs(home.resolve("lib/dragonfly-mle.jar"));
        assertThat(classesOf(home.resolve("lib/dragonfly-mle.jar"))).contains(MAIN);
    }

    @Test
    void composeRunsTheImageInApplicationModeOnDeployRoot() throws Exception {
        JsonNode compose = DeployFiles.yaml("deploy/docker/docker-compose.yml");
        JsonNode jobManager = compose.path("services").path("jobmanager");
        assertThat(jobManager.path("build").path("dockerfile").asText())
                .isEqualTo("deploy/docker/Dockerfile");
        assertThat(
                        Path.of("deploy/docker")
                                .resolve(jobManager.path("build").path("context").asText())
                                .normalize())
                .as("the build context is the repository")
                .isEqualTo(Path.of(""));
        assertThat(jobManager.path("image").asText())
                .isEqualTo("dragonfly-mle:" + DeployFiles.projectVersion());
        Map<String, String> mounts = new java.util.TreeMap<>();
        for (JsonNode v : jobManager.path("volumes")) {
            String[] parts = v.asText().split(":");
            mounts.put(parts[1], parts[0]);
        }
        assertThat(Path.of("deploy/docker").resolve(mounts.get("/opt/dragonfly/root")).normalize())
                .isEqualTo(Path.of("deploy/root"));
        flinkOptionsExist(
                DeployFiles.properties(
                        jobManager.path("environment").path("FLINK_PROPERTIES").asText()));

        List<String> command = List.of(jobManager.path("command").asText().trim().split("\\s+"));
        assertThat(command.subList(0, 3))
                .containsExactly("standalone-job", "--job-classname", MAIN);
        List<String> args = command.subList(3, command.size());
        DeployFiles.Explained run =
                DeployFiles.explain(
                        DeployFiles.withOption(
                                DeployFiles.withOption(
                                        args,
                                        "-r",
                                        Path.of("deploy/root").toAbsolutePath().toString()),
                                "-l",
                                dir.resolve("compose-logs").toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("kafka://kafka:9092/suricata-eve").contains("redis:6379");
        for (JsonNode service : compose.path("services")) {
            if (service.has("command")
                    && !service.path("command").asText().startsWith("standalone-job")) {
                assertThat(service.path("command").asText()).isEqualTo("taskmanager");
            }
        }
    }

    @Test
    void theFlinkDeploymentRunsTheImagesJarFromASavepointOnUpgrade() throws Exception {
        JsonNode kustomization = DeployFiles.yaml("deploy/kustomization.yaml");
        for (JsonNode resource : kustomization.path("resources")) {
            assertThat(Path.of("deploy").resolve(resource.asText())).isRegularFile();
        }
        JsonNode deployment = DeployFiles.yaml("deploy/kubernetes/flinkdeployment.yaml");
        assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = deployment.path("spec");
        String flink = DeployFiles.pomProperty("flink.version");
        assertThat(spec.path("flinkVersion").asText())
                .isEqualTo("v" + flink.substring(0, flink.lastIndexOf('.')).replace('.', '_'));
        assertThat(spec.path("image").asText())
                .isEqualTo(
                        DeployFiles.yaml("deploy/docker/docker-compose.yml")
                                .path("services")
                                .path("jobmanager")
                                .path("image")
                                .asText());
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + USRLIB_JAR);
        assertThat(job.path("entryClass").asText()).isEqualTo(MAIN);
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        Map<String, String> conf = DeployFiles.flatten(spec.path("flinkConfiguration"));
        assertThat(conf).containsKey("execution.checkpointing.savepoint-dir");
        flinkOptionsExist(conf);

        // ROOT: each ConfigMap the kustomization makes, where the pod template mounts it
        Map<String, String> mountOf = new java.util.HashMap<>();
        JsonNode pod = spec.path("podTemplate").path("spec");
        Map<String, String> configMapOfVolume = new java.util.HashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("configMap")) {
                configMapOfVolume.put(
                        volume.path("name").asText(),
                        volume.path("configMap").path("name").asText());
            }
        }
        for (JsonNode mount : pod.path("containers").get(0).path("volumeMounts")) {
            String configMap = configMapOfVolume.get(mount.path("name").asText());
            if (configMap != null) {
                mountOf.put(configMap, mount.path("mountPath").asText());
            }
        }
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        String rootInPod = args.get(args.indexOf("-r") + 1);
        Path root = dir.resolve("k8s-root");
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            String mountPath = mountOf.get(generator.path("name").asText());
            assertThat(mountPath).as(generator.path("name").asText() + " is mounted").isNotNull();
            assertThat(mountPath).startsWith(rootInPod + "/");
            Path target = root.resolve(mountPath.substring(rootInPod.length() + 1));
            Files.createDirectories(target);
            for (JsonNode file : generator.path("files")) {
                Path source = Path.of("deploy").resolve(file.asText());
                assertThat(source).isRegularFile();
                Files.copy(source, target.resolve(source.getFileName()));
            }
        }
        DeployFiles.Explained run =
                DeployFiles.explain(
                        DeployFiles.withOption(
                                DeployFiles.withOption(args, "-r", root.toString()),
                                "-l",
                                dir.resolve("k8s-logs").toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("sources").contains("counter");
    }

    @Test
    void deployRootsScriptsAreHelloWorldsOwn() throws Exception {
        assertThat(Path.of("deploy/root/filter/eve-filter.lua"))
                .hasSameTextualContentAs(Path.of("examples/hello-world/filter/eve-filter.lua"));
        assertThat(Path.of("deploy/root/analyzer/event-type-counter.lua"))
                .hasSameTextualContentAs(
                        Path.of("examples/hello-world/analyzer/event-type-counter.lua"));
    }

    @Test
    void theClusterConfigNamesOnlyOptionsAndReporterThatExist() throws Exception {
        Map<String, String> conf = DeployFiles.flatten(DeployFiles.yaml("flink-conf/config.yaml"));
        assertThat(conf).containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS);
        flinkOptionsExist(conf);
    }

    /** Every key is a Flink option (or a reporter's), and every reporter factory is on lib/. */
    private static void flinkOptionsExist(Map<String, String> conf) throws Exception {
        Set<String> known = flinkOptionKeys();
        Set<String> libClasses = new HashSet<>();
        try (var jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                libClasses.addAll(classesOf(jar));
            }
        }
        for (Map.Entry<String, String> e : conf.entrySet()) {
            String key = e.getKey();
            if (key.matches("metrics\\.reporter\\.[a-z]+\\.factory\\.class")) {
                assertThat(libClasses).as(key).contains(e.getValue());
            } else if (key.matches("metrics\\.reporter\\.[a-z]+\\.port")) {
                assertThat(e.getValue()).as(key).matches("[0-9,-]+");
            } else {
                assertThat(known).as("a Flink option: " + key).contains(key);
            }
        }
    }

    private static Set<String> flinkOptionKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (String name :
                List.of(
                        "CheckpointingOptions",
                        "CoreOptions",
                        "DeploymentOptions",
                        "ExecutionOptions",
                        "JobManagerOptions",
                        "MetricOptions",
                        "PipelineOptions",
                        "RestOptions",
                        "RestartStrategyOptions",
                        "StateBackendOptions",
                        "StateRecoveryOptions",
                        "TaskManagerOptions",
                        "WebOptions")) {
            for (Field f : Class.forName("org.apache.flink.configuration." + name).getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    keys.add(option.key());
                    for (FallbackKey k : option.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                }
            }
        }
        return keys;
    }

    private static Set<String> classesOf(Path jar) throws Exception {
        Set<String> names = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class"))
                    .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
        }
        return names;
    }
}
