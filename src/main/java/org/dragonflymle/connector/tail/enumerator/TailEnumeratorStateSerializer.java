package org.dragonflymle.connector.tail.enumerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.dragonflymle.connector.tail.split.TailSplit;
import org.dragonflymle.connector.tail.split.TailSplitSerializer;

/**
 * Writes a {@link TailEnumeratorState}. Version 1: the number of splits, then each split as its
 * {@link TailSplitSerializer} version, length and bytes (so the split format can evolve on its
 * own).
 */
@Internal
public final class TailEnumeratorStateSerializer
        implements SimpleVersionedSerializer<TailEnumeratorState> {

    public static final TailEnumeratorStateSerializer INSTANCE =
            new TailEnumeratorStateSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(TailEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeInt(state.unassigned().size());
        for (TailSplit split : state.unassigned()) {
            byte[] bytes = TailSplitSerializer.INSTANCE.serialize(split);
            out.writeInt(TailSplitSerializer.INSTANCE.getVersion());
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public TailEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "tail:// enumerator state of version "
                            + version
                            + " cannot be read by this engine (it reads version "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        List<TailSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int splitVersion = in.readInt();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            splits.add(TailSplitSerializer.INSTANCE.deserialize(splitVersion, bytes));
        }
        return new TailEnumeratorState(splits);
    }
}
