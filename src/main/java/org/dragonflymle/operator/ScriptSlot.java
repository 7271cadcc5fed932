package org.dragonflymle.operator;

import java.util.function.Consumer;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.lua.api.ScriptState;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;
import org.luaj.vm2.LuaValue;

/**
 * One Lua state of a concurrent stage and the thread that runs it: it takes one {@link
 * InFlightEvent} at a time from the task thread, runs the script on it with every result kept in
 * the event, and tells {@code completed} when done. Between events the thread waits (no spinning).
 *
 * <p>The runtime's outputs, state and observer are this slot, which forwards to the event it works
 * on; Redis call metrics go to the operator's metrics under their lock.
 */
final class ScriptSlot implements StageOutput, ScriptState, StageObserver, Runnable {

    private final StageObserver metrics;
    private final Consumer<InFlightEvent> completed;
    private StageRuntime runtime;
    private Thread thread;

    // handed over under this slot's monitor
    private InFlightEvent next;
    private boolean stopping;

    // the worker thread's own
    private InFlightEvent current;

    /** Set by the task thread when it hands an event over, cleared when it retires it. */
    InFlightEvent busyWith;

    ScriptSlot(StageObserver metrics, Consumer<InFlightEvent> completed) {
        this.metrics = metrics;
        this.completed = completed;
    }

    void bind(StageRuntime runtime, String threadName) {
        this.runtime = runtime;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    StageRuntime runtime() {
        return runtime;
    }

    void startThread() {
        thread.start();
    }

    /** Whether the slot can take an event now (task thread). */
    boolean idle() {
        return busyWith == null || busyWith.done;
    }

    /** Hands {@code event} to the slot's thread (task thread; the slot is idle). */
    void take(InFlightEvent event) {
        busyWith = event;
        synchronized (this) {
            next = event;
            notifyAll();
        }
    }

    void stop() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        while (true) {
            InFlightEvent e;
            synchronized (this) {
                while (next == null && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException ignored) {
                        stopping = true;
                    }
                }
                if (stopping) {
                    return;
                }
                e = next;
                next = null;
            }
            current = e;
            long t0 = System.nanoTime();
            try {
                if (e.counted) {
                    runtime.accept(e.event);
                } else {
                    runtime.acceptJson(e.event.bytes());
                }
            } catch (RuntimeException | Error ex) {
                e.failure = ex; // rethrown on the task thread when the event retires
            }
            e.loopNanos = System.nanoTime() - t0;
            current = null;
            e.done = true;
            completed.accept(e);
        }
    }

    // ---- forwarded to the event in hand ----

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        current.toAnalyzer(tag, json);
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        current.toOutput(tag, json);
    }

    @Override
    public void toLog(byte[] json) {
        current.toLog(json);
    }

    @Override
    public void toStats(byte[] json) {
        current.toStats(json);
    }

    @Override
    public void toErrors(byte[] record) {
        current.toErrors(record);
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        current.timer(tag, delayMillis, json);
    }

    @Override
    public LuaValue get(String name) {
        return current.get(name);
    }

    @Override
    public void put(String name, LuaValue value) {
        current.put(name, value);
    }

    @Override
    public LuaValue incr(String name, double n) {
        return current.incr(name, n);
    }

    @Override
    public void clear(String name) {
        current.clear(name);
    }

    @Override
    public void error(ErrorReason reason, String message) {
        current.error(reason, message);
    }

    @Override
    public long loopStart() {
        return 0; // the slot times the whole event; the task thread samples it
    }

    @Override
    public void loopEnd(long started) {}

    @Override
    public RedisCallObserver redis() {
        RedisCallObserver target = metrics.redis();
        return (nanos, answered) -> {
            synchronized (metrics) {
                target.call(nanos, answered);
            }
        };
    }
}
