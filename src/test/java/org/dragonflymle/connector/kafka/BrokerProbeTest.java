package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {

    private final BrokerProbe probe =
            new BrokerProbe(
                    "kafka input eve (k1:9092/eve)",
                    "k1:9092",
                    "eve",
                    Map.of("sasl.jaas.config", "x password=\"s3cret-pw\";"));

    @Test
    void problemsAreSaidInTheUsersTerms() {
        assertThat(probe.describe(new TimeoutException("Timed out waiting for a node")))
                .isEqualTo("no broker answers at k1:9092");
        assertThat(probe.describe(new UnknownTopicOrPartitionException("x")))
                .isEqualTo("topic eve does not exist at k1:9092");
        assertThat(probe.describe(new SaslAuthenticationException("Invalid username or password")))
                .isEqualTo("authentication failed at k1:9092: Invalid username or password");
    }

    @Test
    void aSecretInAnErrorTextIsMasked() {
        assertThat(probe.describe(new IllegalStateException("bad x password=\"s3cret-pw\";")))
                .doesNotContain("s3cret-pw")
                .contains("***");
    }
}
