package org.dragonflymle.operator;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.Event;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.redis.SharedConnections;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;
import org.dragonflymle.stage.UserCounters;

/**
 * The Lua states of one instance of a stage with {@code concurrency = N}: up to N events run at
 * once, each on a state ({@link ScriptSlot}) and thread of its own, while their results leave in
 * input order on the task thread – Flink's ordered async I/O, with Lua states in place of futures.
 *
 * <p>The rules, all kept on the task thread: an event waits (the task thread yields to its mailbox,
 * which runs the retirements) until a state is idle and, for a keyed stage, until no event of its
 * key is in flight, so the events of one key run one after the other and each sees the state its
 * predecessor left. A finished event retires only when every earlier one has: its results are
 * emitted, its {@code dragonfly.state} changes and timers applied, its metrics counted, all in
 * input order. {@link #drain()} waits until nothing is in flight; the operator calls it before a
 * checkpoint barrier and at the end of its input, so a checkpoint never holds half an event.
 */
final class ConcurrentScripts implements AutoCloseable {

    /**
     * The operator's side: its key context ({@code null} state for a stage without key), where
     * results go, what a failure no error record could take does (fail the task), and the tap of a
     * shadowed analyzer (or null), told of each input event as it retires.
     */
    record Binding(
            AbstractStreamOperator<?> keys,
            MapState<String, byte[]> state,
            StageOutput out,
            Consumer<InFlightEvent> failed,
            ShadowTap shadow) {}

    private final ScriptSlot[] slots;
    private final StageRuntime[] runtimes;
    private final MailboxExecutor mailbox;
    private final Binding binding;
    private final StageMetrics metrics;
    private final ArrayDeque<InFlightEvent> inFlight = new ArrayDeque<>();
    private final Set<Object> keysInFlight = new HashSet<>();
    private final AtomicBoolean retirementQueued = new AtomicBoolean();
    private boolean retiring;

    // events taken but not started, shared by the states' threads: a thread that finishes an
    // event takes the next without sleeping, so a busy stage wakes few threads
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<InFlightEvent> queued = new ArrayDeque<>();
    private int sleeping;
    private boolean stopping;
    private volatile int queuedCount;
    // finished, not yet retired: the task thread is woken for every N/2 of them, or when the
    // states run out of work, not for each
    private final AtomicInteger finished = new AtomicInteger();
    private final int wakeEvery;
    private final int capacity;

    private ConcurrentScripts(
            int n, MailboxExecutor mailbox, Binding binding, StageMetrics metrics) {
        this.slots = new ScriptSlot[n];
        this.runtimes = new StageRuntime[n];
        this.mailbox = mailbox;
        this.binding = binding;
        this.metrics = metrics;
        this.wakeEvery = Math.max(1, n / 2);
        this.capacity = 2 * n;
    }

    /**
     * The {@code stage.concurrency()} Lua states of one instance, not started: each with its own
     * runtime whose results, state and observer are its slot, all sharing one Redis connection per
     * Redis ({@link SharedConnections}), the pending-timer count and {@code counters} (under its
     * lock). Start the runtimes, then {@link #startThreads()}.
     */
    static ConcurrentScripts create(
            PipelineSpec pipeline,
            StageSpec stage,
            ScriptContext ctx,
            UserCounters counters,
            StageMetrics metrics,
            MailboxExecutor mailbox,
            Binding binding) {
        ConcurrentScripts pool =
                new ConcurrentScripts(stage.concurrency(), mailbox, binding, metrics);
        UserCounters shared =
                (name, n) -> {
                    synchronized (counters) {
                        counters.add(name, n);
                    }
                };
        SharedConnections redis = new SharedConnections();
        for (int i = 0; i < pool.slots.length; i++) {
            ScriptSlot slot = new ScriptSlot(metrics, pool);
            StageRuntime runtime =
                    new StageRuntime(
                            pipeline,
                            stage,
                            ctx,
                            new StageBindings(
                                    stage.key() == null ? null : slot, shared, slot, slot));
            runtime.shareWith(i == 0 ? runtime : pool.runtimes[0], redis);
            slot.bind(
                    runtime,
                    "dragonfly " + stage.tag() + " lua " + (i + 1) + "/" + pool.slots.length);
            pool.slots[i] = slot;
            pool.runtimes[i] = runtime;
        }
        return pool;
    }

    /** The runtimes, one per Lua state; the first counts the instance's pending timers. */
    StageRuntime[] runtimes() {
        return runtimes;
    }

    /** Starts the states' threads, once every runtime has started. */
    void startThreads() {
        for (ScriptSlot s : slots) {
            s.startThread();
        }
    }

    /**
     * The next event for a state's thread, waiting for one; null when stopping. Called by the
     * slots' threads.
     */
    InFlightEvent next() {
        lock.lock();
        try {
            while (queued.isEmpty() && !stopping) {
                sleeping++;
                work.awaitUninterruptibly();
                sleeping--;
            }
            if (stopping) {
                return null;
            }
            InFlightEvent e = queued.pollFirst();
            queuedCount = queued.size();
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a slot's thread when its event is done: the task thread is asked to retire what it
     * can when enough have finished or nothing waits to start (so nothing is held back when the
     * input pauses).
     */
    void completed(InFlightEvent event) {
        if (finished.incrementAndGet() < wakeEvery && queuedCount > 0) {
            return;
        }
        if (retirementQueued.compareAndSet(false, true)) {
            try {
                mailbox.execute(this::retireDone, "dragonfly: emit finished events in order");
            } catch (RejectedExecutionException e) {
                // the task is ending: nothing will be emitted any more
            }
        }
    }

    /**
     * Starts {@code event} (an input event when {@code counted}, else a due timer of the stage's
     * own) on an idle state, waiting for one, and for its key to be free, first. The key is the
     * operator's current key; it is current again on return. Task thread only.
     */
    void submit(Event event, boolean counted) {
        Object key = binding.state() == null ? null : binding.keys().getCurrentKey();
        InFlightEvent e = new InFlightEvent(event, key, counted);
        try {
            while (inFlight.size() >= capacity || (key != null && keysInFlight.contains(key))) {
                mailbox.yield();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Lua state", ex);
        }
        if (key != null) {
            keysInFlight.add(key);
            binding.keys().setCurrentKey(key); // a retirement while waiting moved it
            e.loadState(binding.state());
        }
        inFlight.addLast(e);
        lock.lock();
        try {
            queued.addLast(e);
            queuedCount = queued.size();
            if (sleeping > 0) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A finished event, in input order: its state changes, then its results in order. */
    private void retire(InFlightEvent e) {
        finished.decrementAndGet();
        if (e.key != null) {
            keysInFlight.remove(e.key);
            binding.keys().setCurrentKey(e.key);
            e.applyState(binding.state());
        }
        boolean toShadow = binding.shadow() != null && e.counted;
        if (toShadow) {
            binding.shadow().begin();
        }
        e.replayTo(binding.out(), metrics);
        if (toShadow) {
            binding.shadow().end(e.event);
        }
        if (e.failure != null) {
            binding.failed().accept(e);
        }
    }

    /** Retires finished events at the head, in order (a mail of the task thread). */
    private void retireDone() {
        retirementQueued.set(false);
        if (retiring) {
            return; // the outer call goes on retiring
        }
        retiring = true;
        try {
            InFlightEvent head;
            while ((head = inFlight.peekFirst()) != null && head.done) {
                inFlight.pollFirst();
                retire(head);
            }
        } finally {
            retiring = false;
        }
    }

    /** Waits until every event taken has retired. Task thread only. */
    void drain() throws InterruptedException {
        while (!inFlight.isEmpty()) {
            InFlightEvent head = inFlight.peekFirst();
            if (head.done && !retiring) {
                retireDone();
            } else {
                mailbox.yield();
            }
        }
    }

    /** Events taken and not yet retired. */
    int inFlight() {
        return inFlight.size();
    }

    /** Stops the threads (their states are closed by the operator afterwards). */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (ScriptSlot s : slots) {
            s.join(10_000);
        }
    }
}
