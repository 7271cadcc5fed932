package org.dragonflymle.lua.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs batches under the real {@code luajit} (Debian packages {@code luajit} and {@code
 * lua-cjson}), all batches of one call in one process, with the same driver as the engine.
 */
final class LuajitRunner {

    static final String MISSING =
            "luajit with lua-cjson is not installed (Debian packages: luajit lua-cjson); the"
                    + " conformance harness compares the engine with it and is skipped";

    private final Path dir;

    LuajitRunner(Path dir) throws IOException {
        this.dir = dir;
        Resources.copy("driver.lua", dir);
        Resources.copy("luajit.lua", dir);
    }

    /** Whether {@code luajit} and its {@code cjson} module can be run. */
    static boolean available() {
        try {
            Process p =
                    new ProcessBuilder("luajit", "-e", "require('cjson') require('cjson.safe')")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One result map per batch, in order. */
    List<Map<String, String>> run(List<List<ConformanceCase>> batches, boolean generated)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("luajit", dir.resolve("luajit.lua").toString()));
        cmd.add(dir.toString());
        for (int i = 0; i < batches.size(); i++) {
            Path f = dir.resolve("batch-" + i + ".txt");
            Files.write(f, Batches.bytes(Batches.encode(batches.get(i))));
            cmd.add(f.toString());
            cmd.add(generated ? "generated" : "corpus");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // local time: the engine uses the JVM's zone, so LuaJIT gets the same one
        pb.environment().put("TZ", ZoneId.systemDefault().getId());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = Batches.text(p.getErrorStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("luajit failed: " + err);
        }
        List<Map<String, String>> results = new ArrayList<>();
        for (String part : Batches.text(out).split("\n\0\n", -1)) {
            if (results.size() < batches.size()) {
                results.add(Batches.results(part));
            }
        }
        return results;
    }
}
