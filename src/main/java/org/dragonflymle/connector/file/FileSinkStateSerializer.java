package org.dragonflymle.connector.file;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writes a {@link FileSinkState} into checkpoints and savepoints. Version 1: path (modified UTF-8),
 * whether there is a file key and the key, then the committed length.
 */
public final class FileSinkStateSerializer implements SimpleVersionedSerializer<FileSinkState> {

    public static final FileSinkStateSerializer INSTANCE = new FileSinkStateSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FileSinkState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + state.path().length());
        out.writeUTF(state.path());
        out.writeBoolean(state.fileKey() != null);
        if (state.fileKey() != null) {
            out.writeUTF(state.fileKey());
        }
        out.writeLong(state.length());
        return out.getCopyOfBuffer();
    }

    @Override
    public FileSinkState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "file:// output state of version "
                            + version
                            + " cannot be read by this engine (it reads version "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String path = in.readUTF();
        String key = in.readBoolean() ? in.readUTF() : null;
        return new FileSinkState(path, key, in.readLong());
    }
}
