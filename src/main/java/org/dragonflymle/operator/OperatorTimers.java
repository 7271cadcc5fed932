package org.dragonflymle.operator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * {@code timer_event} on a stage without {@code key=}: processing-time callbacks, with every
 * pending timer also kept in operator list state at each checkpoint, so timers set before a failure
 * or a savepoint fire after the restore (at once when already due). When the stage is rescaled,
 * pending timers are spread over the new instances.
 */
final class OperatorTimers {

    /** One pending timer: when, to which analyzer, with which value. */
    private record Pending(long due, String tag, byte[] json) {}

    private final ProcessingTimeService time;
    private final ListState<byte[]> state;
    private final TimerDelivery delivery;
    private final Set<Pending> pending = new LinkedHashSet<>();

    OperatorTimers(ProcessingTimeService time, ListState<byte[]> state, TimerDelivery delivery)
            throws Exception {
        this.time = time;
        this.state = state;
        this.delivery = delivery;
        List<Pending> restored = new ArrayList<>();
        for (byte[] entry : state.get()) {
            restored.add(decode(entry));
        }
        restored.forEach(p -> schedule(p.tag(), p.due(), p.json()));
    }

    /** How many timers are pending now. */
    int pending() {
        return pending.size();
    }

    long now() {
        return time.getCurrentProcessingTime();
    }

    void schedule(String tag, long due, byte[] json) {
        Pending p = new Pending(due, tag, json);
        pending.add(p);
        time.registerTimer(
                Math.max(due, now()),
                t -> {
                    if (pending.remove(p)) {
                        delivery.deliver(tag, json);
                    }
                });
    }

    /** Called at every checkpoint: the timers not yet fired become the operator's state. */
    void snapshot() throws Exception {
        List<byte[]> entries = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            entries.add(encode(p));
        }
        state.update(entries);
    }

    private static byte[] encode(Pending p) throws java.io.IOException {
        DataOutputSerializer out = new DataOutputSerializer(p.json().length + 32);
        out.writeByte(1); // format version
        out.writeLong(p.due());
        out.writeUTF(p.tag());
        out.writeInt(p.json().length);
        out.write(p.json());
        return out.getCopyOfBuffer();
    }

    private static Pending decode(byte[] entry) throws java.io.IOException {
        DataInputDeserializer in = new DataInputDeserializer(entry);
        int version = in.readByte();
        if (version != 1) {
            throw new java.io.IOException("unknown timer state version " + version);
        }
        long due = in.readLong();
        String tag = in.readUTF();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return new Pending(due, tag, json);
    }
}
