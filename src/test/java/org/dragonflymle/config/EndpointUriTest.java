package org.dragonflymle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.config.EndpointUri.Scheme;
import org.junit.jupiter.api.Test;

class EndpointUriTest {

    @Test
    void pathSchemesKeepThePathAsWritten() {
        assertThat(EndpointUri.parse("file:///var/log/eve.json"))
                .isEqualTo(
                        new EndpointUri(
                                Scheme.FILE, "/var/log/eve.json", List.of(), null, Map.of()));
        EndpointUri relative = EndpointUri.parse("zfile://data/eve 1.json.gz");
        assertThat(relative.path()).isEqualTo("data/eve 1.json.gz");
        assertThat(relative.hasRelativePath()).isTrue();
    }

    @Test
    void relativePathsResolveAgainstABaseAndAbsoluteOnesStay() {
        Path base = Path.of("/opt/dragonfly");
        assertThat(EndpointUri.parse("tail://logs/../eve.json").resolveAgainst(base).toUriString())
                .isEqualTo("tail:///opt/dragonfly/eve.json");
        assertThat(EndpointUri.parse("ipc:///run/x.sock").resolveAgainst(base).toUriString())
                .isEqualTo("ipc:///run/x.sock");
    }

    @Test
    void kafkaHasBrokersTopicAndProperties() {
        EndpointUri uri =
                EndpointUri.parse(
                        "kafka://10.0.0.1:9092,[::1]:9093,broker.example:9094/eve-json?group=df&acks=all&x=a%26b");
        assertThat(uri.scheme()).isEqualTo(Scheme.KAFKA);
        assertThat(uri.bootstrapServers())
                .containsExactly("10.0.0.1:9092", "[::1]:9093", "broker.example:9094");
        assertThat(uri.topic()).isEqualTo("eve-json");
        assertThat(uri.properties())
                .containsExactly(
                        Map.entry("group", "df"), Map.entry("acks", "all"), Map.entry("x", "a&b"));
        assertThat(uri.hasRelativePath()).isFalse();
    }

    @Test
    void toUriStringParsesBackToTheSameValue() {
        for (String s :
                new String[] {
                    "file:///a/b.log",
                    "unix://rel.sock",
                    "kafka://h:1/t",
                    "kafka://h:1,g:2/t.x?a=1&sasl.jaas.config=x%20y%3D%22z%22%3B&b=%E2%82%AC"
                }) {
            EndpointUri uri = EndpointUri.parse(s);
            assertThat(EndpointUri.parse(uri.toUriString())).as(s).isEqualTo(uri);
        }
    }

    @Test
    void directionDecidesWhichSchemesAreAllowed() {
        assertThat(EndpointUri.parse("tail:///x", Direction.INPUT).scheme()).isEqualTo(Scheme.TAIL);
        assertThatThrownBy(() -> EndpointUri.parse("tail:///x", Direction.OUTPUT))
                .hasMessage("tail:// cannot be an output (output schemes: file, ipc, unix, kafka)");
        assertThatThrownBy(() -> EndpointUri.parse("syslog:///x", Direction.OUTPUT))
                .hasMessage(
                        "unsupported URI scheme \"syslog://\" (supported: file, ipc, unix, kafka)");
    }

    @Test
    void malformedKafkaUrisSayWhatIsMissing() {
        assertThatThrownBy(() -> EndpointUri.parse("kafka://:9092/t"))
                .hasMessageContaining("kafka broker \":9092\" must be host:port");
        assertThatThrownBy(() -> EndpointUri.parse("kafka://h:9092/t/x"))
                .hasMessageContaining("invalid kafka topic \"t/x\"");
        assertThatThrownBy(() -> EndpointUri.parse("kafka://h:9092/t?a=1&a=2"))
                .hasMessageContaining("query parameter a is repeated");
        assertThatThrownBy(() -> EndpointUri.parse("kafka://user:pw@h:9092/t"))
                .hasMessageContaining("credentials do not go in the host part")
                .message()
                .doesNotContain("pw@");
    }

    @Test
    void socketPathsLongerThanTheKernelAllowsAreRefused() {
        String longPath = "/" + "s".repeat(EndpointUri.MAX_SOCKET_PATH_BYTES);
        assertThatThrownBy(() -> EndpointUri.parse("ipc://" + longPath))
                .hasMessageContaining("longer than 107 bytes");
        assertThatThrownBy(
                        () ->
                                EndpointUri.parse("unix://x.sock")
                                        .resolveAgainst(Path.of("/" + "d".repeat(120))))
                .hasMessageContaining("longer than 107 bytes");
    }

    @Test
    void redactMasksPasswordsAndSecretParameters() {
        assertThat(EndpointUri.redact("redis://:pw@h:6379/0")).isEqualTo("redis://:***@h:6379/0");
        assertThat(
                        EndpointUri.redact(
                                "kafka://h:1/t?group=g&ssl.key.password=pw&sasl.jaas.config=x"))
                .isEqualTo("kafka://h:1/t?group=g&ssl.key.password=***&sasl.jaas.config=***");
        assertThat(EndpointUri.parse("kafka://h:1/t?ssl.truststore.password=pw").toString())
                .doesNotContain("pw");
    }
}
