package org.dragonflymle.shadow;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what one stage version emits while it handles one event: {@link #begin}, then the
 * operator's output methods call {@link #record}, then {@link #end} hands the list over. Outside
 * begin/end (a due timer, a stats line) nothing is recorded. Not thread-safe: one per stage
 * instance, on its thread.
 */
public final class ShadowCapture {

    private final List<ShadowCase.Emitted> emitted = new ArrayList<>();
    private boolean active;

    public void begin() {
        emitted.clear();
        active = true;
    }

    public void analyzer(String tag, byte[] json) {
        record("analyzer:" + tag, json);
    }

    public void output(String tag, byte[] json) {
        record("output:" + tag, json);
    }

    public void log(byte[] json) {
        record("log", json);
    }

    public void stats(byte[] json) {
        record("stats", json);
    }

    /** An error record. */
    public void error(byte[] record) {
        record(ShadowCase.ERROR, record);
    }

    /** A {@code timer_event}: recorded when it is set (a shadow's timers never fire). */
    public void timer(String tag, byte[] json) {
        record("timer:" + tag, json);
    }

    /** {@code json} must not change afterwards (the engine's emitted arrays never do). */
    private void record(String route, byte[] json) {
        if (active) {
            emitted.add(new ShadowCase.Emitted(route, json));
        }
    }

    public List<ShadowCase.Emitted> end() {
        active = false;
        return List.copyOf(emitted);
    }
}
