package org.dragonflymle.operator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.event.Event;
import org.dragonflymle.lua.lib.MarshalledScriptState;
import org.dragonflymle.stage.StageOutput;
import org.luaj.vm2.LuaError;

/**
 * One event of a concurrent stage from the moment a Lua state takes it until its results leave, in
 * input order, on the task thread ({@link ConcurrentScripts}): what the script routed, its error
 * records, its timers and its {@code dragonfly.state} changes are kept here, not applied, while the
 * script runs on its own thread.
 *
 * <p>{@code dragonfly.state} reads see the key's values as they were when the event was taken
 * (loaded on the task thread; no other event of the key is in flight then) and this event's own
 * changes; the changes are written to keyed state when the event retires.
 */
final class InFlightEvent extends MarshalledScriptState implements StageOutput {

    enum Kind {
        ANALYZER,
        OUTPUT,
        LOG,
        STATS,
        ERROR_RECORD,
        ERROR_COUNT,
        TIMER
    }

    /** One result, in the order the script made it. */
    record Result(Kind kind, String tag, long delayMillis, byte[] json, ErrorReason reason) {}

    final Event event;
    final Object key;

    /** Whether it is an input event (counted as such), not a due timer. */
    final boolean counted;

    final List<Result> results = new ArrayList<>(2);

    /** The key's values when the event was taken; null for a stage without key. */
    Map<String, byte[]> state;

    /** Names this event set (to bytes) or cleared (to null), in order of first change. */
    final Map<String, byte[]> changes = new LinkedHashMap<>();

    long loopNanos;

    /** What the worker could not turn into an error record (it fails the task on retirement). */
    Throwable failure;

    volatile boolean done;

    InFlightEvent(Event event, Object key, boolean counted) {
        this.event = event;
        this.key = key;
        this.counted = counted;
    }

    // ---- StageOutput: kept until retirement ----

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        results.add(new Result(Kind.ANALYZER, tag, 0, json, null));
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        results.add(new Result(Kind.OUTPUT, tag, 0, json, null));
    }

    @Override
    public void toLog(byte[] json) {
        results.add(new Result(Kind.LOG, null, 0, json, null));
    }

    @Override
    public void toStats(byte[] json) {
        results.add(new Result(Kind.STATS, null, 0, json, null));
    }

    @Override
    public void toErrors(byte[] record) {
        results.add(new Result(Kind.ERROR_RECORD, null, 0, record, null));
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        results.add(new Result(Kind.TIMER, tag, delayMillis, json, null));
    }

    /** The metrics' count of an error (a message to log), in its place among the results. */
    void error(ErrorReason reason, String message) {
        results.add(new Result(Kind.ERROR_COUNT, message, 0, null, reason));
    }

    /** Loads the current key's values (task thread, key context set). */
    void loadState(MapState<String, byte[]> values) {
        state = new HashMap<>();
        try {
            for (Map.Entry<String, byte[]> e : values.entries()) {
                state.put(e.getKey(), e.getValue());
            }
        } catch (Exception e) {
            throw new LuaError("dragonfly.state could not be read: " + e);
        }
    }

    /** Writes this event's changes to the current key's values (task thread, key context set). */
    void applyState(MapState<String, byte[]> values) {
        try {
            for (Map.Entry<String, byte[]> c : changes.entrySet()) {
                if (c.getValue() == null) {
                    values.remove(c.getKey());
                } else {
                    values.put(c.getKey(), c.getValue());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("dragonfly.state could not be written: " + e, e);
        }
    }

    /** Hands the results on as the script made them, counted as the stage counts one event. */
    void replayTo(StageOutput out, StageMetrics metrics) {
        if (counted) {
            metrics.eventStart(event.fullLength());
        }
        long sampled = metrics.loopStart();
        if (sampled != 0) {
            metrics.loopEnd(sampled - loopNanos);
        }
        for (Result r : results) {
            switch (r.kind()) {
                case ANALYZER -> out.toAnalyzer(r.tag(), r.json());
                case OUTPUT -> out.toOutput(r.tag(), r.json());
                case LOG -> out.toLog(r.json());
                case STATS -> out.toStats(r.json());
                case ERROR_RECORD -> out.toErrors(r.json());
                case ERROR_COUNT -> metrics.error(r.reason(), r.tag());
                case TIMER -> out.timer(r.tag(), r.delayMillis(), r.json());
            }
        }
        if (counted) {
            metrics.eventEnd();
        }
    }

    // ---- dragonfly.state over the loaded values and this event's changes ----

    @Override
    protected byte[] read(String name) {
        if (changes.containsKey(name)) {
            return changes.get(name);
        }
        return state == null ? null : state.get(name);
    }

    @Override
    protected void write(String name, byte[] bytes) {
        changes.put(name, bytes);
    }

    @Override
    protected void remove(String name) {
        changes.put(name, null);
    }
}
