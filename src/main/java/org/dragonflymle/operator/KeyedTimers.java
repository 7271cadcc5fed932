package org.dragonflymle.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * {@code timer_event} on a keyed stage: Flink's keyed processing-time timers plus the values to
 * deliver, kept in keyed state under their due time. Both are part of every checkpoint, so a timer
 * set before a failure still fires after the restart, with the key it was set under (and so with
 * that key's {@code dragonfly.state}).
 *
 * <p>Several timers of one key due in the same millisecond share one Flink timer; their values are
 * appended to one state entry ({@code [tag, json]*}) and delivered in the order they were set.
 */
final class KeyedTimers {

    private final InternalTimerService<VoidNamespace> service;
    private final MapState<Long, byte[]> pending;
    private final DataOutputSerializer out = new DataOutputSerializer(256);

    KeyedTimers(InternalTimerService<VoidNamespace> service, MapState<Long, byte[]> pending) {
        this.service = service;
        this.pending = pending;
    }

    /** Schedules delivery of {@code json} to {@code tag} at {@code due} (epoch millis). */
    void schedule(String tag, long due, byte[] json) {
        try {
            byte[] existing = pending.get(due);
            out.clear();
            if (existing != null) {
                out.write(existing);
            }
            byte[] t = tag.getBytes(StandardCharsets.UTF_8);
            out.writeInt(t.length);
            out.write(t);
            out.writeInt(json.length);
            out.write(json);
            pending.put(due, out.getCopyOfBuffer());
        } catch (Exception e) {
            throw new IllegalStateException("cannot keep timer_event state", e);
        }
        service.registerProcessingTimeTimer(VoidNamespace.INSTANCE, due);
    }

    long now() {
        return service.currentProcessingTime();
    }

    /** Delivers everything due at the timer's time, for the timer's key (already current). */
    void fire(InternalTimer<?, VoidNamespace> timer, TimerDelivery delivery) throws Exception {
        long due = timer.getTimestamp();
        byte[] entries = pending.get(due);
        if (entries == null) {
            return;
        }
        pending.remove(due);
        DataInputDeserializer in = new DataInputDeserializer(entries);
        try {
            while (in.available() > 0) {
                byte[] tag = new byte[in.readInt()];
                in.readFully(tag);
                byte[] json = new byte[in.readInt()];
                in.readFully(json);
                delivery.deliver(new String(tag, StandardCharsets.UTF_8), json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
