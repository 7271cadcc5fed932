package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

class KafkaInputSpecTest {

    @Test
    void engineOptionsAreReadAndEverythingElseIsAClientProperty() {
        KafkaInputSpec spec =
                KafkaInputSpec.parse(
                        "eve",
                        "kafka://k1:9092,k2:9093/suricata?group=mle&bounded=latest"
                                + "&max.poll.records=50&client.id.prefix=sensor1");

        assertThat(spec.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
        assertThat(spec.topic()).isEqualTo("suricata");
        assertThat(spec.group()).isEqualTo("mle");
        assertThat(spec.stopAt()).isEqualTo(KafkaUriOptions.StopAt.LATEST);
        assertThat(spec.clientProperties())
                .containsEntry("max.poll.records", "50")
                .containsEntry("client.id.prefix", "sensor1")
                .doesNotContainKeys("group", "bounded");
        assertThat(spec.unknownProperties()).isEmpty();
    }

    @Test
    void defaultsReadCommittedFromTheEarliestOffsetUnbounded() {
        KafkaInputSpec spec = KafkaInputSpec.parse("eve", "kafka://127.0.0.1:9092/eve");

        assertThat(spec.group()).isNull();
        assertThat(spec.stopAt()).isNull();
        assertThat(spec.withoutCommittedOffset()).isEqualTo(OffsetResetStrategy.EARLIEST);
        assertThat(spec.clientProperties()).containsEntry("isolation.level", "read_committed");
    }

    @Test
    void autoOffsetResetChoosesWherePartitionsWithoutACommittedOffsetStart() {
        KafkaInputSpec spec =
                KafkaInputSpec.parse(
                        "eve",
                        "kafka://127.0.0.1:9092/eve?group=g&auto.offset.reset=latest"
                                + "&isolation.level=read_uncommitted");

        assertThat(spec.withoutCommittedOffset()).isEqualTo(OffsetResetStrategy.LATEST);
        assertThat(spec.clientProperties())
                .doesNotContainKey("auto.offset.reset")
                .containsEntry("isolation.level", "read_uncommitted");
        assertThatThrownBy(
                        () ->
                                KafkaInputSpec.parse(
                                        "eve", "kafka://127.0.0.1:9092/eve?auto.offset.reset=none"))
                .hasMessageContaining("needs group=ID");
    }

    @Test
    void badValuesNameTheParameterAndWhatItAccepts() {
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?bounded=forever"))
                .hasMessage("invalid bounded=forever (expected latest)");
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?isolation.level=x"))
                .hasMessageContaining("Invalid value x for configuration isolation.level");
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?max.poll.records="))
                .hasMessageContaining("max.poll.records has no value");
    }

    @Test
    void outputOptionsAndEngineOwnedPropertiesAreRefusedWithAHint() {
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?delivery=none"))
                .hasMessage("delivery= is for kafka outputs");
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?group.id=g"))
                .hasMessageContaining("use group=ID");
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?bootstrap.servers=x:1"))
                .hasMessageContaining("kafka://host:port,host:port/topic");
        assertThatThrownBy(() -> KafkaInputSpec.parse("eve", "kafka://h:1/t?client.id=me"))
                .hasMessageContaining("client.id.prefix");
        assertThatThrownBy(
                        () -> KafkaInputSpec.parse("eve", "kafka://h:1/t?enable.auto.commit=true"))
                .hasMessageContaining("committed on checkpoints");
    }

    @Test
    void unknownPropertiesAreKeptAndListedForAWarning() {
        KafkaInputSpec spec =
                KafkaInputSpec.parse("eve", "kafka://h:1/t?sasl.mechansim=PLAIN&fetch.max.bytes=1");

        assertThat(spec.unknownProperties()).containsExactly("sasl.mechansim");
        assertThat(spec.clientProperties()).containsEntry("sasl.mechansim", "PLAIN");
    }

    @Test
    void toStringShowsNoPropertyValue() {
        KafkaInputSpec spec =
                KafkaInputSpec.parse(
                        "eve",
                        "kafka://h:1/t?security.protocol=SASL_SSL&sasl.mechanism=PLAIN"
                                + "&sasl.jaas.config=x%20password%3D%22s3cret-value%22%3B");

        assertThat(spec.toString()).contains("sasl.jaas.config").doesNotContain("s3cret-value");
    }
}
