package org.dragonflymle.connector.kafka;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.dragonflymle.connector.file.LineReader;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * One Kafka record value is one raw input line: handed on unvalidated as {@link Event#line}, so the
 * input stage turns a bad value into an error record like a bad line of a file. As for files, a
 * trailing line terminator is dropped, blank values and tombstones (null values) are skipped, and a
 * value over {@code max_event_bytes} travels as {@link Event#oversized} (its head only). The key,
 * headers and timestamp are not used.
 */
final class EventRecordDeserializer implements KafkaRecordDeserializationSchema<Event> {

    private static final long serialVersionUID = 1L;

    private final int maxEventBytes;

    EventRecordDeserializer(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Event> out) {
        byte[] value = record.value();
        if (value == null) {
            return;
        }
        int end = value.length;
        if (end > 0 && value[end - 1] == '\n') {
            end--;
            if (end > 0 && value[end - 1] == '\r') {
                end--;
            }
        }
        if (isBlank(value, end)) {
            return;
        }
        if (end > maxEventBytes) {
            out.collect(
                    Event.oversized(
                            Arrays.copyOf(value, Math.min(LineReader.OVERSIZED_HEAD_BYTES, end)),
                            end));
            return;
        }
        out.collect(Event.line(end == value.length ? value : Arrays.copyOf(value, end)));
    }

    private static boolean isBlank(byte[] value, int end) {
        for (int i = 0; i < end; i++) {
            byte b = value[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return EventTypeInfo.INSTANCE;
    }
}
