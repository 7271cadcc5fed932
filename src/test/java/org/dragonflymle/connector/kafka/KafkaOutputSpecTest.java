package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class KafkaOutputSpecTest {

    @Test
    void exactlyOnceWithCheckpointingAtLeastOnceWithout() {
        KafkaOutputSpec spec = KafkaOutputSpec.parse("alerts", "kafka://h:9092/alerts");

        assertThat(spec.delivery()).isNull();
        assertThat(spec.guarantee(true)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(spec.guarantee(false)).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void deliveryCanBeChosenButExactlyOnceNeedsCheckpointing() {
        assertThat(
                        KafkaOutputSpec.parse("alerts", "kafka://h:9092/a?delivery=at-least-once")
                                .guarantee(true))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        KafkaOutputSpec exactly =
                KafkaOutputSpec.parse("alerts", "kafka://h:9092/a?delivery=exactly-once");
        assertThat(exactly.guarantee(true)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThatThrownBy(() -> exactly.guarantee(false))
                .hasMessageContaining("checkpointing is off");
        assertThatThrownBy(() -> KafkaOutputSpec.parse("alerts", "kafka://h:9092/a?delivery=twice"))
                .hasMessage("invalid delivery=twice (expected exactly-once, at-least-once, none)");
    }

    @Test
    void theTransactionalIdPrefixIsStableFromTheTagUnlessGiven() {
        assertThat(KafkaOutputSpec.parse("alerts", "kafka://h:1/a").transactionalIdPrefix())
                .isEqualTo("dragonfly-mle-alerts");
        assertThat(
                        KafkaOutputSpec.parse("alerts", "kafka://h:1/a?transactional.id.prefix=s1")
                                .transactionalIdPrefix())
                .isEqualTo("s1");
    }

    @Test
    void theTransactionTimeoutDefaultsToWhatADefaultBrokerAllows() {
        assertThat(KafkaOutputSpec.parse("a", "kafka://h:1/a").clientProperties())
                .containsEntry("transaction.timeout.ms", "900000");
        assertThat(
                        KafkaOutputSpec.parse("a", "kafka://h:1/a?transaction.timeout.ms=60000")
                                .clientProperties())
                .containsEntry("transaction.timeout.ms", "60000");
    }

    @Test
    void inputOptionsAndEngineOwnedPropertiesAreRefused() {
        assertThatThrownBy(() -> KafkaOutputSpec.parse("a", "kafka://h:1/a?group=g"))
                .hasMessage("group= is for kafka inputs");
        assertThatThrownBy(() -> KafkaOutputSpec.parse("a", "kafka://h:1/a?transactional.id=x"))
                .hasMessageContaining("use transactional.id.prefix=PREFIX");
        assertThatThrownBy(
                        () -> KafkaOutputSpec.parse("a", "kafka://h:1/a?value.serializer=org.x.Y"))
                .hasMessageContaining("written as bytes");
    }

    @Test
    void anInvalidValueIsKafkasOwnExplanationWithSecretsMasked() {
        assertThatThrownBy(() -> KafkaOutputSpec.parse("a", "kafka://h:1/a?acks=banana"))
                .hasMessageContaining("Invalid value banana for configuration acks");
        assertThatThrownBy(
                        () ->
                                KafkaOutputSpec.parse(
                                        "a",
                                        "kafka://h:1/a?ssl.truststore.password.x=abc123"
                                                + "&sasl.login.refresh.window.factor=abc123"))
                .hasMessageContaining("sasl.login.refresh.window.factor")
                .hasMessageNotContaining("abc123");
    }
}
