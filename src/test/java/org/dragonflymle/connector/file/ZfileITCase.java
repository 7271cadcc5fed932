package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** zfile:// inputs through the whole engine (passthrough example, MiniCluster). */
class ZfileITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final String SAMPLE_URI = "file://../data/eve-sample.jsonl";

    @TempDir Path dir;

    private Path logs() {
        return dir.resolve("logs");
    }

    private Path passthroughReading(String uri) {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.editConfig(root, SAMPLE_URI, uri);
        return root;
    }

    private Path bundledGzipAt(String name) throws Exception {
        Path target = dir.resolve("data").resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/eve/suricata-7.0.10-dev.jsonl.gz")) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void theBundledGzipSampleComesOutAsThePlainLines() throws Exception {
        bundledGzipAt("eve.jsonl.gz");
        Path root = passthroughReading("zfile://../data/eve.jsonl.gz");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(logs().resolve("passthrough.json")))
                .isEqualTo(EveSamples.devLines());
    }

    @Test
    void aGzipFileIsReadWhateverItsName() throws Exception {
        bundledGzipAt("eve.json.1");
        Path root = passthroughReading("zfile://../data/eve.json.1");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestRoots.readLines(logs().resolve("passthrough.json")))
                .isEqualTo(EveSamples.devLines());
    }

    @Test
    void aPlainFileGivenAsZfileIsRefusedBeforeTheJobStarts() {
        TestRoots.writeLines(dir.resolve("data/eve.json"), EveSamples.devLines().subList(0, 5));
        Path root = passthroughReading("zfile://../data/eve.json");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .contains("config.lua")
                .contains("inputs[1]")
                .contains("eve.json is not gzip-compressed")
                .contains("file://");
    }

    @Test
    void anotherCompressionIsRefusedBeforeTheJobStarts() {
        Path root = passthroughReading("zfile://../data/eve.json.bz2");

        Launcher.Result result = Launcher.run(root, logs());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("inputs[1]").contains(".bz2");
    }
}
