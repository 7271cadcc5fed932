package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.ANALYZER;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.nio.file.Path;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords never reach a message, a warning or a toString. */
class SecretsTest {

    private static final String PASSWORD = "s3cr3t-pw";

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
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
    void redisUrlWithPasswordLoads() throws Exception {
        pipelineWith("redis_url = \"rediss://:" + PASSWORD + "@redis.example:6380/2\"");
        RedisSpec redis = f.load().redis();
        assertThat(redis).isEqualTo(new RedisSpec("redis.example", 6380, PASSWORD, 2, true));
        assertThat(redis.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void redisUrlDefaultsPortAndDatabaseAndDecodesThePassword() throws Exception {
        pipelineWith("redis_url = \"redis://default:p%40ss%3Aword@[::1]\"");
        assertThat(f.load().redis()).isEqualTo(new RedisSpec("::1", 6379, "p@ss:word", 0, false));
    }

    @Test
    void badRedisUrlIsReportedWithoutItsPassword() {
        pipelineWith("redis_url = \"redis://:" + PASSWORD + "@host:99999/0\"");
        String message = f.failure();
        f.assertNames(message, "redis_url \"redis://:***@host:99999/0\": port must be 1..65535");
        assertThat(message).doesNotContain(PASSWORD);
    }

    @Test
    void redisUrlMayNameAnAclUser() throws Exception {
        pipelineWith("redis_url = \"redis://alice:" + PASSWORD + "@host\"");
        RedisSpec redis = f.load().redis();
        assertThat(redis.user()).isEqualTo("alice");
        assertThat(redis.password()).isEqualTo(PASSWORD);
        assertThat(redis.toString()).contains("user=alice").doesNotContain(PASSWORD);
    }

    @Test
    void redisUrlWithAUserButNoPasswordSeparatorIsRefused() {
        pipelineWith("redis_url = \"redis://" + PASSWORD + "@host\"");
        assertThat(f.failure())
                .contains("write the credentials as user:password@ or :password@")
                .doesNotContain(PASSWORD);
    }

    @Test
    void redisUrlAndRedisFieldsTogetherAreRefused() {
        pipelineWith("redis_host = \"127.0.0.1\"\nredis_url = \"redis://:" + PASSWORD + "@host\"");
        assertThat(f.failure())
                .contains("redis_url and redis_host are both set")
                .doesNotContain(PASSWORD);
    }

    @Test
    void badRedisFieldsNeverEchoThePassword() {
        pipelineWith(
                "redis_password = \""
                        + PASSWORD
                        + "\"\nredis_port = \""
                        + PASSWORD
                        + "\"\nredis_tls = \"yes\"");
        String message = f.failure();
        assertThat(message).contains("redis_port must be a port number").doesNotContain(PASSWORD);
    }

    @Test
    void passwordThatIsNotAStringIsNotEchoed() {
        pipelineWith("redis_password = 271828");
        assertThat(f.failure())
                .contains("redis_password must be a string, got a number")
                .doesNotContain("271828");
    }

    @Test
    void syntaxErrorNextToThePasswordDoesNotShowIt() {
        f.config("redis_password = \"" + PASSWORD + "\"\nerror(\"oops \" .. redis_password)\n");
        assertThat(f.failure()).contains(":2: error while running it: oops ***");
    }

    @Test
    void printedPasswordIsMaskedInTheLog() throws Exception {
        pipelineWith("redis_password = \"" + PASSWORD + "\"\nprint(redis_password)");
        f.load();
        assertThat(f.notes).singleElement().asString().endsWith("config.lua: ***");
    }

    @Test
    void kafkaSaslSecretsAreMaskedInToStringButKeptForTheConnector() throws Exception {
        String uri =
                "kafka://k:9092/alerts?security.protocol=SASL_SSL&sasl.jaas.config="
                        + "org.apache.kafka.common.security.plain.PlainLoginModule%20required%20"
                        + "password%3D%22"
                        + PASSWORD
                        + "%22%3B";
        f.pipeline(INPUT, ANALYZER, OUTPUT.replace("file://alerts.log", uri));
        PipelineSpec spec = f.load();
        OutputSpec alerts = spec.output("alerts").orElseThrow();
        assertThat(EndpointUri.parse(alerts.uri()).properties().get("sasl.jaas.config"))
                .contains("password=\"" + PASSWORD + "\"");
        assertThat(alerts.toString()).doesNotContain(PASSWORD).contains("sasl.jaas.config=***");
        assertThat(spec.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void badKafkaUriIsReportedWithoutItsSecrets() {
        f.pipeline(
                INPUT,
                ANALYZER,
                OUTPUT.replace(
                        "file://alerts.log", "kafka://k/alerts?ssl.key.password=" + PASSWORD));
        String message = f.failure();
        f.assertNames(
                message, "outputs[1] (tag \"alerts\")", "kafka broker \"k\" must be host:port");
        assertThat(message).doesNotContain(PASSWORD);
    }
}
