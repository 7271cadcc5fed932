package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
