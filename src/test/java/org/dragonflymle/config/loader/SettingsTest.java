package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.ANALYZER;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.nio.file.Path;
import java.time.Duration;
import org.dragonflymle.config.CheckpointSpec;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-level settings: redis_*, checkpoint, limits, modules. */
class SettingsTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
    }

    private PipelineSpec loadWith(String prelude) throws ConfigException {
        pipelineWith(prelude);
        return f.load();
    }

    private void pipelineWith(String prelude) {
        f.basicScripts()
                .config(
                        prelude
                                + "\ninputs = { "
                                + INPUT
                                + " }\nanalyzers = { "
                                + ANALYZER
                                + " }\noutputs = { "
                                + OUTPUT
                                + " }\n");
    }

    @Test
    void redisPortAndDatabaseMayBeNumbersOrStrings() throws Exception {
        assertThat(loadWith("redis_port = 6390\nredis_db = \"4\"").redis())
                .isEqualTo(new RedisSpec("127.0.0.1", 6390, null, 4, false));
    }

    @Test
    void aRedisHostStartingWithASlashIsAUnixSocket() throws Exception {
        RedisSpec redis = loadWith("redis_host = \"/run/redis/redis-server.sock\"").redis();
        assertThat(redis.isUnixSocket()).isTrue();
        assertThat(redis.address()).isEqualTo("/run/redis/redis-server.sock");
        assertThat(loadWith("").redis().isUnixSocket()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "redis_port = 0           | redis_port must be a port number 1..65535, got 0",
                "redis_port = \"63 79\"   | redis_port must be a port number 1..65535, got \"63 79\"",
                "redis_db = -1            | redis_db must be a database number (0, 1, ...), got -1",
                "redis_tls = \"yes\"      | redis_tls must be true or false, got \"yes\"",
                "redis_host = \"a b\"     | redis_host must be a host name, an address or a Unix socket path",
                "redis_host = \"/r.sock\"; redis_tls = true | redis_tls is for TCP connections",
                "redis_url = \"http://x\" | must start with redis:// or rediss://",
                "checkpoint = \"10s\"     | checkpoint must be a table like",
                "checkpoint = { interval = \"soon\" } | checkpoint.interval must be a duration",
                "checkpoint = { dir = \"file://ckpt\" } | checkpoint.dir \"file://ckpt\" must be absolute",
                "checkpoint = { dir = \"ckpt\" } | must be an absolute path or a URI",
                "limits = { max_event_bytes = 0 } | limits.max_event_bytes must be a positive integer",
                "limits = { loop_budget_ms = 1e12 } | limits.loop_budget_ms must be a positive integer (1..86400000)",
                "limits = 5               | limits must be a table",
            })
    void badSetting(String lua, String problem) {
        pipelineWith(lua);
        f.assertNames(f.failure(), problem);
    }

    @Test
    void checkpointDirMayBeAPathOrAnyFileSystemUri() throws Exception {
        assertThat(loadWith("checkpoint = { dir = \"/var/lib/ckpt/../ckpt2\" }").checkpoint())
                .isEqualTo(new CheckpointSpec(null, "file:///var/lib/ckpt2"));
        assertThat(
                        loadWith("checkpoint = { interval = 90, dir = \"s3://bucket/df\" }")
                                .checkpoint())
                .isEqualTo(new CheckpointSpec(Duration.ofSeconds(90), "s3://bucket/df"));
    }

    @Test
    void unknownFieldsOfSettingsAreWarnedAbout() throws Exception {
        loadWith(
                "checkpoint = { intervall = \"5s\" }\nlimits = { max_event_byte = 10 }\n"
                        + "modules = { {tag=\"bloom\", module=\"/opt/redisbloom.so\"} }");
        assertThat(f.warnings)
                .anySatisfy(w -> assertThat(w).contains("checkpoint: unknown fields intervall"))
                .anySatisfy(w -> assertThat(w).contains("limits: unknown fields max_event_byte"))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("modules[1]", "/opt/redisbloom.so")
                                        .contains("load it into your Redis server"));
    }
}
