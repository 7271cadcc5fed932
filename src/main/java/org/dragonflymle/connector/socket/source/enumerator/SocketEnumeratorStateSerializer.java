package org.dragonflymle.connector.socket.source.enumerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.dragonflymle.connector.socket.source.split.SocketSplit;

/** Version 1: the count of unassigned splits, then each address as modified UTF-8. */
@Internal
public final class SocketEnumeratorStateSerializer
        implements SimpleVersionedSerializer<SocketEnumeratorState> {

    public static final SocketEnumeratorStateSerializer INSTANCE =
            new SocketEnumeratorStateSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SocketEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(state.unassigned().size());
        for (SocketSplit split : state.unassigned()) {
            out.writeUTF(split.address());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SocketEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown socket enumerator state version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        List<SocketSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(new SocketSplit(in.readUTF()));
        }
        return new SocketEnumeratorState(splits);
    }
}
