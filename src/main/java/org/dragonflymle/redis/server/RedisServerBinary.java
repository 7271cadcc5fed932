package org.dragonflymle.redis.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.os.Executables;

/**
 * The redis-server executable a {@link RedisServerProcess} runs, and where it came from.
 *
 * <p>An installed {@code redis-server} wins (it is the one the operator chose and keeps patched);
 * the Linux binary shipped inside the embedded-redis jar is the fallback so that local runs and
 * tests work on a machine without Redis. An extracted binary is a temporary file that {@link
 * #deleteIfExtracted()} removes.
 *
 * @param path the executable
 * @param source whether it was found installed or extracted from the embedded-redis jar
 */
public record RedisServerBinary(Path path, Source source) {

    /** Where a binary came from. */
    public enum Source {
        /** Found on {@code PATH}, {@code /usr/bin} or {@code /usr/local/bin}. */
        INSTALLED,
        /** Extracted from the embedded-redis jar on the classpath into a temporary file. */
        EMBEDDED
    }

    private static final String EXECUTABLE = "redis-server";
    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+)\\.(\\d+)");

    /**
     * Finds the binary to run: an installed {@code redis-server} unless {@code embeddedOnly}, else
     * the one in the embedded-redis jar.
     *
     * @throws IllegalStateException when neither is available, saying what was searched
     */
    public static RedisServerBinary locate(boolean embeddedOnly) {
        if (!embeddedOnly) {
            Path installed = findInstalled();
            if (installed != null) {
                return new RedisServerBinary(installed, Source.INSTALLED);
            }
        }
        return extractEmbedded();
    }

    /** The first executable {@code redis-server} on PATH, /usr/bin or /usr/local/bin, or null. */
    static Path findInstalled() {
        return Executables.find(EXECUTABLE);
    }

    /**
     * Copies the embedded-redis jar's Linux binary for this CPU into a temporary executable file.
     */
    static RedisServerBinary extractEmbedded() {
        String resource = embeddedResourceName();
        try (InputStream in =
                RedisServerBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "No redis-server installed and resource "
                                + resource
                                + " not on the classpath (is the embedded-redis jar missing?)");
            }
            Path file = Files.createTempFile("redis-server-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true)) {
                Files.deleteIfExists(file);
                throw new IllegalStateException("Cannot make " + file + " executable");
            }
            return new RedisServerBinary(file, Source.EMBEDDED);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot extract " + resource + " to a temporary file", e);
        }
    }

    private static String embeddedResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException(
                    "No redis-server installed, and the embedded fallback is only used on Linux"
                            + " (os.name="
                            + os
                            + "); install redis-server");
        }
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "redis-server-6.2.6-v5-linux-amd64";
            case "aarch64":
            case "arm64":
                return "redis-server-6.2.7-linux-arm64";
            default:
                throw new IllegalStateException(
                        "No redis-server installed and no embedded binary for os.arch="
                                + arch
                                + "; install redis-server");
        }
    }

    /**
     * The server's version as major × 100 + minor ({@code redis-server --version} says {@code
     * v=6.2.11}: 602), for options whose syntax changed between versions.
     *
     * @throws IllegalStateException when the binary does not say its version
     */
    public int version() {
        String out;
        try {
            Process p =
                    new ProcessBuilder(path.toString(), "--version")
                            .redirectErrorStream(true)
                            .start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + this + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted asking " + this + " its version", e);
        }
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(
                    this + " --version did not say its version: " + out.strip());
        }
        return Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2));
    }

    /** Removes the temporary file of an extracted binary; an installed one is left alone. */
    public void deleteIfExtracted() {
        if (source == Source.EMBEDDED) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                path.toFile().deleteOnExit();
            }
        }
    }

    @Override
    public String toString() {
        return source == Source.EMBEDDED
                ? path + " (from the embedded-redis jar)"
                : path.toString();
    }
}
