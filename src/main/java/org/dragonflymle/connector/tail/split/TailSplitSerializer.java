package org.dragonflymle.connector.tail.split;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writes a {@link TailSplit} into checkpoints and savepoints. Version 1: path (modified UTF-8),
 * start position (a byte: 0 beginning, 1 end), whether a file is known, and if so its key (a flag
 * and the string), checksum length and checksum, then the offset.
 */
@Internal
public final class TailSplitSerializer implements SimpleVersionedSerializer<TailSplit> {

    public static final TailSplitSerializer INSTANCE = new TailSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(TailSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + split.path().length());
        out.writeUTF(split.path());
        out.writeByte(split.start() == StartPosition.BEGINNING ? 0 : 1);
        FileIdentity file = split.file();
        out.writeBoolean(file != null);
        if (file != null) {
            out.writeBoolean(file.key() != null);
            if (file.key() != null) {
                out.writeUTF(file.key());
            }
            out.writeInt(file.headLength());
            out.writeLong(file.headCrc());
        }
        out.writeLong(split.offset());
        return out.getCopyOfBuffer();
    }

    @Override
    public TailSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "tail:// split state of version "
                            + version
                            + " cannot be read by this engine (it reads version "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String path = in.readUTF();
        int startCode = in.readByte();
        StartPosition start =
                switch (startCode) {
                    case 0 -> StartPosition.BEGINNING;
                    case 1 -> StartPosition.END;
                    default -> throw new IOException("unknown start position " + startCode);
                };
        FileIdentity file = null;
        if (in.readBoolean()) {
            String key = in.readBoolean() ? in.readUTF() : null;
            file = new FileIdentity(key, in.readInt(), in.readLong());
        }
        long offset = in.readLong();
        return new TailSplit(path, start, file, offset);
    }
}
