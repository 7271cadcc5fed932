package org.dragonflymle.connector.socket.source.split;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: the address as modified UTF-8. */
@Internal
public final class SocketSplitSerializer implements SimpleVersionedSerializer<SocketSplit> {

    public static final SocketSplitSerializer INSTANCE = new SocketSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SocketSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(split.address());
        return out.getCopyOfBuffer();
    }

    @Override
    public SocketSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown socket split version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        return new SocketSplit(in.readUTF());
    }
}
