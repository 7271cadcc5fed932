package org.dragonflymle.operator;

import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.lua.api.ScriptState;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;
import org.luaj.vm2.LuaValue;

/**
 * One Lua state of a concurrent stage and the thread that runs it: it takes the next {@link
 * InFlightEvent} from its pool, runs the script on it with every result kept in the event, and
 * tells the pool when done. When nothing waits to start, the thread sleeps (no spinning).
 *
 * <p>The runtime's outputs, state and observer are this slot, which forwards to the event it works
 * on; Redis call metrics go to the operator's metrics under their lock.
 */
final class ScriptSlot implements StageOutput, ScriptState, StageObserver, Runnable {

    private final StageObserver metrics;
    private final ConcurrentScripts pool;
    private StageRuntime runtime;
    private Thread thread;

    // the worker thread's own
    private InFlightEvent current;

    ScriptSlot(StageObserver metrics, ConcurrentScripts pool) {
        this.metrics = metrics;
        this.pool = pool;
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

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        InFlightEvent e;
        while ((e = pool.next()) != null) {
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
            pool.completed(e);
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
