package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@code Main} runs, as Flink sets up the context of a program: the launcher's own JVM, a
 * {@code flink run} client ("remote"), or a JobManager in application mode ("embedded", as
 * ApplicationDispatcherBootstrap runs a program), where Main neither exits the JVM nor replaces the
 * cluster's log configuration.
 */
class JobManagerContextTest {

    @AfterEach
    void unset() {
        StreamContextEnvironment.unsetAsContext();
    }

    private static void context(String target) {
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, target);
        StreamContextEnvironment.setAsContext(
                new DefaultExecutorServiceLoader(),
                conf,
                JobManagerContextTest.class.getClassLoader(),
                false,
                false);
    }

    @Test
    void theLaunchersJvmIsNoJobManager() {
        assertThat(Main.inJobManager()).isFalse();
    }

    @Test
    void aFlinkRunClientIsNoJobManager() {
        context("remote");
        assertThat(Main.inJobManager()).isFalse();
    }

    @Test
    void applicationModeRunsInTheJobManager() {
        context("embedded");
        assertThat(Main.inJobManager()).isTrue();
    }

    /**
     * bin/dragonfly-mle names itself on its JVM, and Main then answers without loading Flink's
     * configuration (whose first logger would set up log4j's default configuration before the
     * engine's own): even a context that says "embedded" is not asked.
     */
    @Test
    void theLauncherNamesItselfAndFlinkIsNotAsked() throws Exception {
        List<String> flags = Files.readAllLines(Path.of("src/dist/java-local.args"));
        String flag = "-D" + Main.LAUNCHER_PROPERTY + "=bin/dragonfly-mle";
        assertThat(flags).contains(flag);
        context("embedded");
        String before = System.getProperty(Main.LAUNCHER_PROPERTY);
        System.setProperty(Main.LAUNCHER_PROPERTY, "bin/dragonfly-mle");
        try {
            assertThat(Main.inJobManager()).isFalse();
            System.setProperty(Main.LAUNCHER_PROPERTY, "something else");
            assertThat(Main.inJobManager()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(Main.LAUNCHER_PROPERTY);
            } else {
                System.setProperty(Main.LAUNCHER_PROPERTY, before);
            }
        }
    }
}
