package org.dragonflymle.connector.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.connector.kafka.KafkaUriOptions.StopAt;

/**
 * A {@code kafka://host:port[,host:port]/topic[?group=ID&...]} input, checked.
 *
 * @param tag the input's tag
 * @param bootstrapServers {@code host:port,...}
 * @param topic the topic read
 * @param group the consumer group, or null
 * @param stopAt where a bounded input stops; null for unbounded
 * @param withoutCommittedOffset where a partition starts that has no committed offset (the {@code
 *     auto.offset.reset} of the URI, default earliest)
 * @param clientProperties consumer properties, secrets included (never log them)
 * @param unknownProperties keys the consumer does not know, for a warning
 */
record KafkaInputSpec(
        String tag,
        String bootstrapServers,
        String topic,
        String group,
        StopAt stopAt,
        OffsetResetStrategy withoutCommittedOffset,
        Map<String, String> clientProperties,
        List<String> unknownProperties)
        implements Serializable {

    private static final Map<String, String> RESERVED =
            Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "brokers go in the host part: kafka://host:port,host:port/topic",
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "use group=ID",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    "records are read as bytes",
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    "records are read as bytes",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "offsets are committed on checkpoints",
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "the source names each reader; use client.id.prefix=NAME");

    private static final Map<String, String> OUTPUT_ONLY =
            Map.of(
                    KafkaUriOptions.DELIVERY.key(), "is for kafka outputs",
                    KafkaUriOptions.TRANSACTIONAL_ID_PREFIX.key(), "is for kafka outputs");

    /** Read by Flink's KafkaSource, not by the consumer. */
    private static final Set<String> SOURCE_OPTIONS =
            Set.of(
                    KafkaSourceOptions.CLIENT_ID_PREFIX.key(),
                    KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.key(),
                    KafkaSourceOptions.REGISTER_KAFKA_CONSUMER_METRICS.key(),
                    KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key());

    /**
     * Checks the URI of input {@code tag}.
     *
     * @throws IllegalArgumentException naming the problem, secrets masked
     */
    static KafkaInputSpec parse(String tag, String uri) {
        EndpointUri endpoint = EndpointUri.parse(uri, EndpointUri.Direction.INPUT);
        Map<String, String> query = endpoint.properties();
        String group = KafkaUriOptions.read(query, KafkaUriOptions.GROUP).orElse(null);
        StopAt stopAt = KafkaUriOptions.read(query, KafkaUriOptions.BOUNDED).orElse(null);
        KafkaClientProperties client =
                KafkaClientProperties.of(
                        query,
                        KafkaUriOptions.keys(KafkaUriOptions.INPUT_OPTIONS),
                        OUTPUT_ONLY,
                        RESERVED);
        client.withDefault(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, KafkaUriOptions.DEFAULT_ISOLATION_LEVEL);
        String reset = client.take(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        OffsetResetStrategy withoutCommitted = resetStrategy(reset);
        if (withoutCommitted == OffsetResetStrategy.NONE && group == null) {
            throw new IllegalArgumentException(
                    "auto.offset.reset=none starts at the group's committed offsets and needs"
                            + " group=ID");
        }
        String bootstrap = String.join(",", endpoint.bootstrapServers());
        List<String> unknown =
                client.validate(
                        ConsumerConfig.configDef(),
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class.getName(),
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class.getName()),
                        SOURCE_OPTIONS);
        return new KafkaInputSpec(
                tag,
                bootstrap,
                endpoint.topic(),
                group,
                stopAt,
                withoutCommitted,
                client.asMap(),
                unknown);
    }

    private static OffsetResetStrategy resetStrategy(String value) {
        if (value == null) {
            return OffsetResetStrategy.EARLIEST;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "earliest" -> OffsetResetStrategy.EARLIEST;
            case "latest" -> OffsetResetStrategy.LATEST;
            case "none" -> OffsetResetStrategy.NONE;
            default ->
                    throw new IllegalArgumentException(
                            "invalid auto.offset.reset="
                                    + value
                                    + " (expected earliest, latest or none)");
        };
    }

    /** How messages name this input: {@code kafka input eve (127.0.0.1:9092/eve)}. */
    String describe() {
        return "kafka input " + tag + " (" + bootstrapServers + "/" + topic + ")";
    }

    /** Without property values: they may be secrets. */
    @Override
    public String toString() {
        return describe()
                + "[group="
                + group
                + ", bounded="
                + stopAt
                + ", properties="
                + clientProperties.keySet()
                + "]";
    }
}
