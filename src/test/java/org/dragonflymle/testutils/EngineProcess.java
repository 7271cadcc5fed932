package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A local-mode engine in a JVM of its own, as {@code bin/dragonfly-mle} starts it (with {@code
 * _JAVA_SR_SIGNUM} set, so SIGUSR2 reaches the launcher): for tests that signal it, reload it or
 * kill it. Its terminal output goes to a file; {@link #close()} ends it.
 */
public final class EngineProcess implements AutoCloseable {

    private final Process process;
    private final Path stderr;

    private EngineProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Starts {@code dragonfly-mle -r root -l logs --www-port=-1 --progress=plain extra...}. */
    public static EngineProcess start(Path root, Path logs, String... extra) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.add("-cp");
        command.add(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path")));
        command.add("org.dragonflymle.cli.Main");
        command.addAll(
                List.of(
                        "-r",
                        root.toString(),
                        "-l",
                        logs.toString(),
                        "--www-port=-1",
                        "--progress=plain"));
        command.addAll(List.of(extra));
        try {
            Files.createDirectories(logs);
            Path stderr = logs.resolveSibling(logs.getFileName() + "-terminal.txt");
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(stderr.toFile());
            pb.environment().put("_JAVA_SR_SIGNUM", "40");
            return new EngineProcess(pb.start(), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the engine printed on its terminal so far. */
    public String terminal() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until {@code condition} holds, failing with the terminal when the engine ends. */
    public void await(BooleanSupplier condition, Duration timeout, String what) {
        Await.until(
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "the engine ended while waiting for " + what + ":\n" + terminal());
                    }
                    return condition.getAsBoolean();
                },
                timeout,
                () -> what + "; the engine said:\n" + terminal());
    }

    /** Sends {@code SIG<name>} to the engine's JVM. */
    public void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** SIGTERM, and the exit status once it ended. */
    public int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the engine did not stop on SIGTERM:\n" + terminal());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
