package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.redis.server.RedisServerBinary;

/**
 * The version of the redis-server the tests start: the installed one (Debian's 7.0 on the project's
 * machines and in CI), else embedded-redis's 6.2 on a machine without one. A test that needs a
 * newer server's option asks here instead of assuming it.
 */
public final class RedisVersion {

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+)\\.(\\d+)");

    private static volatile int major;

    private RedisVersion() {}

    /** The major version of the server {@link RedisServerExtension} starts. */
    public static int major() {
        if (major == 0) {
            major = read();
        }
        return major;
    }

    private static int read() {
        RedisServerBinary binary = RedisServerBinary.locate(false);
        try {
            Process p =
                    new ProcessBuilder(binary.path().toString(), "--version")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException(binary + " --version said: " + out);
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            binary.deleteIfExtracted();
        }
    }
}
