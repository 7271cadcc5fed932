package org.dragonflymle.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code mvn package} made, for the tests that run it as a user would: the distribution
 * tarball and the tree it unpacks to. These tests run after the package phase (failsafe).
 */
final class Distribution {

    private Distribution() {}

    /** target/dragonfly-mle-VERSION-bin.tar.gz, the one the build just made. */
    static Path tarball() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> found =
                    files.filter(
                                    p -> {
                                        String n = p.getFileName().toString();
                                        return n.startsWith("dragonfly-mle-")
                                                && n.endsWith("-bin.tar.gz");
                                    })
                            .toList();
            assertThat(found)
                    .as("one distribution tarball in target/ (these tests run after mvn package)")
                    .hasSize(1);
            return found.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the tarball with tar into {@code dir}; returns dragonfly-mle-VERSION/. */
    static Path unpack(Path dir) throws Exception {
        run(new ProcessBuilder("tar", "-xzf", tarball().toString(), "-C", dir.toString()), dir);
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> homes =
                    top.filter(p -> p.getFileName().toString().startsWith("dragonfly-mle-"))
                            .toList();
            assertThat(homes).as("one top directory in the tarball").hasSize(1);
            return homes.get(0);
        }
    }

    /** Runs {@code pb} to completion within two minutes; fails with its output otherwise. */
    static String run(ProcessBuilder pb, Path dir) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(
                    String.join(" ", pb.command()) + " did not end: " + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", pb.command()) + ": " + output).isZero();
        return output;
    }

    /** A port on 127.0.0.1 nothing listens on just now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
