package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's RPC system from the class path (the distribution's lib/flink-rpc-akka.jar), and Flink's
 * own loader where it is not there.
 */
class ClassPathRpcSystemLoaderTest {

    @TempDir Path dir;

    @Test
    void declinesWhereTheClassPathHasNoRpcSystemAndFlinksLoaderTakesOver() throws Exception {
        // the test class path has Flink's loader jar, not the jar it carries
        assertThatThrownBy(() -> new ClassPathRpcSystemLoader().loadRpcSystem(new Configuration()))
                .isInstanceOf(RpcLoaderException.class)
                .hasMessageContaining("flink-rpc-akka.jar");
        try (RpcSystem rpc = RpcSystem.load(new Configuration())) {
            assertThat(rpc.getClass().getName())
                    .as("Flink's loader wraps what it extracts")
                    .isEqualTo("org.apache.flink.runtime.rpc.CleanupOnCloseRpcSystem");
        }
    }

    @Test
    void findsPekkoOnTheClassPathAndItRuns() throws Exception {
        Path jar = dir.resolve("flink-rpc-akka.jar");
        try (InputStream in =
                RpcSystem.class.getClassLoader().getResourceAsStream("flink-rpc-akka.jar")) {
            assertThat(in).as("the jar inside flink-rpc-akka-loader").isNotNull();
            Files.copy(in, jar);
        }
        // the jar's own classes first, as in lib/ where nothing else has Scala: the test class
        // path has the Scala 2.13 of the Kafka broker the tests start
        try (SubmoduleClassLoader classes =
                new SubmoduleClassLoader(
                        new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            RpcSystem rpc =
                    new ClassPathRpcSystemLoader(classes).loadRpcSystem(new Configuration());
            assertThat(rpc.getClass().getName())
                    .isEqualTo("org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem");
            assertThat(rpc.getClass().getClassLoader()).isSameAs(classes);
            RpcService service = rpc.localServiceBuilder(new Configuration()).createAndStart();
            try {
                // its actor system runs: its scheduler runs what it is given
                CompletableFuture<String> ran = new CompletableFuture<>();
                service.getScheduledExecutor()
                        .schedule(
                                () -> ran.complete(Thread.currentThread().getName()),
                                1,
                                TimeUnit.MILLISECONDS);
                assertThat(ran.get(30, TimeUnit.SECONDS)).contains("flink");
            } finally {
                service.closeAsync().get();
                rpc.close();
            }
        }
    }
}
