package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archive of the distribution (docs/performance.md): the tarball carries
 * none (an archive holds the absolute paths of the jars it was made from), {@code
 * bin/build-cds-archive} makes one where the tarball is unpacked, the launcher starts the JVM with
 * it, and a distribution moved after that runs without it and without a word about it.
 */
class DistributionCdsITCase {

    @TempDir Path dir;
    private Path home;
    private Path tools;

    @BeforeEach
    void unpack() throws Exception {
        home = Distribution.unpack(dir);
        tools = Files.createDirectories(dir.resolve("path"));
        for (String tool :
                List.of(
                        "bash",
                        "dirname",
                        "readlink",
                        "id",
                        "mktemp",
                        "cp",
                        "grep",
                        "sed",
                        "rm",
                        "mv",
                        "du",
                        "cut")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
    }

    private ProcessBuilder command(Path executable, String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", tools.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", dir.toString());
        return pb;
    }

    /** Runs the passthrough example through {@code home}'s launcher; returns its class log. */
    private String runLoggingClasses(Path home, Path classLog) throws Exception {
        Path root = home.resolve("examples/passthrough");
        ProcessBuilder pb =
                command(
                        home.resolve("bin/dragonfly-mle"),
                        "-r",
                        root.toString(),
                        "-l",
                        dir.resolve("logs-" + classLog.getFileName()).toString());
        pb.environment().put("DRAGONFLY_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        String terminal = Distribution.run(pb, dir);
        assertThat(terminal).contains("finished in").doesNotContain("[cds").doesNotContain("CDS");
        return Files.readString(classLog);
    }

    private static String loadOf(String classLog, String className) {
        return classLog.lines()
                .filter(l -> l.contains(" " + className + " source: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(className + " not loaded"));
    }

    @Test
    void theLauncherUsesTheArchiveBuiltWhereTheDistributionIsAndNoOtherOne() throws Exception {
        assertThat(home.resolve("lib/dragonfly-mle.jsa")).as("none in the tarball").doesNotExist();
        String without = runLoggingClasses(home, dir.resolve("classes-none.txt"));
        assertThat(loadOf(without, "org.dragonflymle.cli.Main")).contains("dragonfly-mle.jar");
        // Flink's RPC system from lib/ (ClassPathRpcSystemLoader), not from a copy Flink's own
        // loader extracts to a temporary file
        assertThat(loadOf(without, "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem"))
                .contains(home.resolve("lib/flink-rpc-akka.jar").toString());
        try (var lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .as("Flink's loader jar is not shipped: lib/ has the jar it carries")
                    .noneMatch(name -> name.startsWith("flink-rpc-akka-loader"));
        }

        String built = Distribution.run(command(home.resolve("bin/build-cds-archive")), dir);

        assertThat(built).contains("build-cds-archive: wrote");
        assertThat(home.resolve("lib/dragonfly-mle.jsa")).isNotEmptyFile();
        String with = runLoggingClasses(home, dir.resolve("classes-cds.txt"));
        // the engine's own classes and Flink's come from the archive
        for (String c :
                List.of(
                        "org.dragonflymle.cli.Main",
                        "org.dragonflymle.lua.ScriptHost",
                        "org.apache.flink.runtime.minicluster.MiniCluster",
                        "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem",
                        "org.apache.pekko.actor.ActorSystemImpl")) {
            assertThat(loadOf(with, c)).contains("shared objects file");
        }
        // LuaJ's are Java 1.3 class files, which Java 17 archives do not hold
        assertThat(loadOf(with, "org.luaj.vm2.Globals")).doesNotContain("shared objects file");

        // moved: the archive names jars that are no longer there, so the launcher leaves it out
        Path moved = dir.resolve("moved");
        Files.move(home, moved);
        String after = runLoggingClasses(moved, dir.resolve("classes-moved.txt"));
        assertThat(loadOf(after, "org.dragonflymle.cli.Main"))
                .doesNotContain("shared objects file");
    }
}
