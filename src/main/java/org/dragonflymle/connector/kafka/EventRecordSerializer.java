package org.dragonflymle.connector.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.dragonflymle.event.Event;

/**
 * Writes each event's JSON bytes as the value of one record (no key, so the producer spreads
 * records over the partitions; no line terminator).
 *
 * <p>{@link #open} runs when a writer starts, before its producer exists: it waits there for the
 * brokers ({@link BrokerProbe}), so a job started while Kafka is down says so once and carries on
 * when Kafka is back, instead of failing and restarting until it is.
 */
final class EventRecordSerializer implements KafkaRecordSerializationSchema<Event> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final BrokerProbe probe;

    EventRecordSerializer(String topic, BrokerProbe probe) {
        this.topic = topic;
        this.probe = probe;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        probe.awaitReady(false);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Event event, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, null, event.bytes());
    }
}
