package org.dragonflymle.event;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for {@link Event}: a kind byte, the length, the bytes (and, for an oversized
 * line, its real length). No Kryo, no reflection; copying is free because events are immutable.
 */
public final class EventSerializer extends TypeSerializerSingleton<Event> {

    public static final EventSerializer INSTANCE = new EventSerializer();

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Event createInstance() {
        return Event.json(new byte[0]);
    }

    @Override
    public Event copy(Event from) {
        return from;
    }

    @Override
    public Event copy(Event from, Event reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Event record, DataOutputView target) throws IOException {
        target.writeByte(record.kind().ordinal());
        target.writeInt(record.bytes().length);
        target.write(record.bytes());
        if (record.kind() == Event.Kind.OVERSIZED) {
            target.writeInt(record.fullLength());
        }
    }

    @Override
    public Event deserialize(DataInputView source) throws IOException {
        Event.Kind kind = Event.Kind.of(source.readByte());
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        int fullLength = kind == Event.Kind.OVERSIZED ? source.readInt() : bytes.length;
        return Event.of(kind, bytes, fullLength);
    }

    @Override
    public Event deserialize(Event reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int kind = source.readByte();
        target.writeByte(kind);
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
        if (kind == Event.Kind.OVERSIZED.ordinal()) {
            target.writeInt(source.readInt());
        }
    }

    @Override
    public TypeSerializerSnapshot<Event> snapshotConfiguration() {
        return new EventSerializerSnapshot();
    }

    /** Versioned snapshot so checkpoints stay readable when the format changes. */
    public static final class EventSerializerSnapshot extends SimpleTypeSerializerSnapshot<Event> {
        public EventSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
