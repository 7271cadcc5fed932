package org.dragonflymle.connector.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.dragonflymle.config.EndpointUri;

/**
 * A {@code kafka://host:port[,host:port]/topic[?...]} output, checked.
 *
 * @param tag the output's tag
 * @param bootstrapServers {@code host:port,...}
 * @param topic the topic written
 * @param delivery the guarantee the URI asks for; null for the default (exactly-once with
 *     checkpointing, else at-least-once)
 * @param transactionalIdPrefix prefix of the transactional ids of an exactly-once output
 * @param clientProperties producer properties, secrets included (never log them)
 * @param unknownProperties keys the producer does not know, for a warning
 */
record KafkaOutputSpec(
        String tag,
        String bootstrapServers,
        String topic,
        DeliveryGuarantee delivery,
        String transactionalIdPrefix,
        Map<String, String> clientProperties,
        List<String> unknownProperties)
        implements Serializable {

    private static final Map<String, String> RESERVED =
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "brokers go in the host part: kafka://host:port,host:port/topic",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    "records are written as bytes",
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    "records are written as bytes",
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "use transactional.id.prefix=PREFIX");

    private static final Map<String, String> INPUT_ONLY =
            Map.of(
                    KafkaUriOptions.GROUP.key(), "is for kafka inputs",
                    KafkaUriOptions.BOUNDED.key(), "is for kafka inputs");

    /** Read by Flink's KafkaSink, not by the producer. */
    private static final Set<String> SINK_OPTIONS =
            Set.of("register.producer.metrics", "flink.disable-metrics");

    /**
     * Checks the URI of output {@code tag}.
     *
     * @throws IllegalArgumentException naming the problem, secrets masked
     */
    static KafkaOutputSpec parse(String tag, String uri) {
        EndpointUri endpoint = EndpointUri.parse(uri, EndpointUri.Direction.OUTPUT);
        Map<String, String> query = endpoint.properties();
        DeliveryGuarantee delivery =
                KafkaUriOptions.read(query, KafkaUriOptions.DELIVERY).orElse(null);
        String prefix =
                KafkaUriOptions.read(query, KafkaUriOptions.TRANSACTIONAL_ID_PREFIX)
                        .orElse(KafkaUriOptions.defaultTransactionalIdPrefix(tag));
        KafkaClientProperties client =
                KafkaClientProperties.of(
                        query,
                        KafkaUriOptions.keys(KafkaUriOptions.OUTPUT_OPTIONS),
                        INPUT_ONLY,
                        RESERVED);
        client.withDefault(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(KafkaUriOptions.DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
        String bootstrap = String.join(",", endpoint.bootstrapServers());
        List<String> unknown =
                client.validate(
                        ProducerConfig.configDef(),
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                        ByteArraySerializer.class.getName(),
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        ByteArraySerializer.class.getName()),
                        SINK_OPTIONS);
        return new KafkaOutputSpec(
                tag, bootstrap, endpoint.topic(), delivery, prefix, client.asMap(), unknown);
    }

    /**
     * The guarantee of this output in a job with or without checkpointing.
     *
     * @throws IllegalArgumentException for exactly-once without checkpointing
     */
    DeliveryGuarantee guarantee(boolean checkpointing) {
        if (delivery == null) {
            return checkpointing ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        }
        if (delivery == DeliveryGuarantee.EXACTLY_ONCE && !checkpointing) {
            throw new IllegalArgumentException(
                    "delivery=exactly-once commits Kafka transactions on checkpoints, and"
                            + " checkpointing is off");
        }
        return delivery;
    }

    /** How messages name this output: {@code kafka output alerts (127.0.0.1:9092/alerts)}. */
    String describe() {
        return "kafka output " + tag + " (" + bootstrapServers + "/" + topic + ")";
    }

    /** Without property values: they may be secrets. */
    @Override
    public String toString() {
        return describe()
                + "[delivery="
                + delivery
                + ", transactionalIdPrefix="
                + transactionalIdPrefix
                + ", properties="
                + clientProperties.keySet()
                + "]";
    }
}
