package org.dragonflymle.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;

class EventRecordDeserializerTest {

    private final EventRecordDeserializer deserializer = new EventRecordDeserializer(64);

    private List<Event> read(byte[] value) {
        List<Event> out = new ArrayList<>();
        deserializer.deserialize(
                new ConsumerRecord<>("t", 0, 0L, null, value),
                new Collector<>() {
                    @Override
                    public void collect(Event e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValueIsOneRawLineForTheInputStageToValidate() {
        byte[] value = bytes("{\"event_type\":\"dns\"}");

        List<Event> events = read(value);

        assertThat(events)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.kind()).isEqualTo(Event.Kind.LINE);
                            assertThat(e.bytes()).isEqualTo(value);
                        });
        assertThat(read(bytes("not json")))
                .singleElement()
                .extracting(Event::kind)
                .isEqualTo(Event.Kind.LINE);
    }

    @Test
    void aTrailingLineTerminatorIsDroppedAsForFiles() {
        assertThat(read(bytes("{\"a\":1}\n")).get(0).bytes()).isEqualTo(bytes("{\"a\":1}"));
        assertThat(read(bytes("{\"a\":1}\r\n")).get(0).bytes()).isEqualTo(bytes("{\"a\":1}"));
    }

    @Test
    void tombstonesAndBlankValuesAreNoEvents() {
        assertThat(read(null)).isEmpty();
        assertThat(read(new byte[0])).isEmpty();
        assertThat(read(bytes(" \t\r\n"))).isEmpty();
    }

    @Test
    void aValueOverTheBoundTravelsAsItsHeadWithItsLength() {
        byte[] value = bytes("{\"x\":\"" + "a".repeat(100) + "\"}");

        Event e = read(value).get(0);

        assertThat(e.kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(e.fullLength()).isEqualTo(value.length);
    }
}
