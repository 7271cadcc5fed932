package org.dragonflymle.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * The wire format of every event between operators and in checkpointed state, through Flink's own
 * serializer test base (copy, (de)serialize with and without reuse, stream copy, snapshot and
 * restore of the serializer, duplication, concurrency). Events of every kind, including an
 * oversized event whose full length differs from the bytes it carries.
 */
class EventSerializerTest extends SerializerTestBase<Event> {

    EventSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof Event && b instanceof Event,
                                (a, b, checker) -> same((Event) a, (Event) b)));
    }

    @Override
    protected TypeSerializer<Event> createSerializer() {
        return EventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Event> getTypeClass() {
        return Event.class;
    }

    @Override
    protected Event[] getTestData() {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 'x');
        big[0] = '"';
        big[big.length - 1] = '"';
        return new Event[] {
            Event.line(utf8("not json at all")),
            Event.line(new byte[0]),
            Event.json(utf8("{\"event_type\":\"dns\",\"dns\":{\"rrname\":\"example.com\"}}")),
            Event.json(utf8("{\"name\":\"Grüße, 世界 😀\"}")),
            Event.json(big),
            Event.oversized(utf8("{\"event_type\":\"http\",\"payload\":\"AAAA"), 5_000_000),
            Event.oversized(new byte[0], Integer.MAX_VALUE),
        };
    }

    /** The kind byte comes first: a reader that skips an event by length must not misparse it. */
    @Test
    void eachKindSurvivesBesideTheOthers() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (Event e : getTestData()) {
            EventSerializer.INSTANCE.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (Event e : getTestData()) {
            Event back = EventSerializer.INSTANCE.deserialize(in);
            assertThat(same(back, e)).as("%s", e).isTrue();
        }
        assertThat(in.available()).isZero();
    }

    private static boolean same(Event a, Event b) {
        return a.kind() == b.kind()
                && a.fullLength() == b.fullLength()
                && Arrays.equals(a.bytes(), b.bytes());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
