package org.dragonflymle.operator;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
    // event takes the next without sleeping, so a busy stage wakes few threads; an event taken
    // while a state sleeps is handed to it directly (the most recently idle one: its caches are
    // warm), which is then woken once and takes no lock
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<InFlightEvent> queued = new ArrayDeque<>();
    private final ArrayDeque<ScriptSlot> idle = new ArrayDeque<>();
    private volatile boolean stopping;
    // events taken and not finished, and finished and not retired. The task thread retires
    // finished events itself each time it takes one, so a state's thread wakes it (a mail) only
    // when it waits for retirements and N/2 have finished, or when the last event running finished
    // (the input paused, or the task thread waits: nothing is held back)
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final int wakeEvery;
    private volatile boolean taskWaiting;
    private final int capacity;

    private ConcurrentScripts(
            int n, MailboxExecutor mailbox, Binding binding, StageMetrics metrics) {
        this.slots = new ScriptSlot[n];
        this.runtimes = new StageRuntime[n];
        this.mailbox = mailbox;
        this.binding = binding;
        this.metrics = metrics;
        this.capacity = 2 * n;
        this.wakeEvery = Math.max(1, n / 2);
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
     * The next event for {@code slot}'s thread, waiting for one; null when stopping. Called by the
     * slots' threads.
     */
    InFlightEvent next(ScriptSlot slot) {
        lock.lock();
        try {
            if (stopping) {
                return null;
            }
            InFlightEvent e = queued.pollFirst();
            if (e != null) {
                return e;
            }
            idle.push(slot);
        } finally {
            lock.unlock();
        }
        InFlightEvent e;
        while ((e = slot.handedOver) == null && !stopping) {
            LockSupport.park(this);
        }
        slot.handedOver = null;
        return e;
    }

    /**
     * Called by a slot's thread when its event is done: the task thread is asked to retire what it
     * can when it waits for that and N/2 have finished, or when no event is running any more (so
     * nothing is held back when the input pauses); otherwise it retires at its next event.
     */
    void completed(InFlightEvent event) {
        // event.done was written (volatile) before taskWaiting is read: a task thread that starts
        // waiting now sees it done, or is seen waiting here
        int done = finished.incrementAndGet();
        if (running.decrementAndGet() > 0 && (!taskWaiting || done < wakeEvery)) {
            return;
        }
        if (retirementQueued.compareAndSet(false, true)) {
            try {
                mailbox.execute(this::retireMail, "dragonfly: emit finished events in order");
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
        retireDone();
        try {
            while (inFlight.size() >= capacity || (key != null && keysInFlight.contains(key))) {
                awaitRetirement();
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
        running.incrementAndGet();
        ScriptSlot sleeper;
        lock.lock();
        try {
            sleeper = idle.poll();
            if (sleeper == null) {
                queued.addLast(e);
            }
        } finally {
            lock.unlock();
        }
        if (sleeper != null) {
            sleeper.handedOver = e;
            sleeper.wake();
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

    /**
     * Waits until the event at the head is done and retires what it can (task thread): it yields to
     * its mailbox, where a state's thread puts a retirement while the task thread waits.
     */
    private void awaitRetirement() throws InterruptedException {
        taskWaiting = true;
        try {
            InFlightEvent head = inFlight.peekFirst();
            if (head == null || !head.done || retiring) {
                mailbox.yield();
            }
        } finally {
            taskWaiting = false;
        }
        retireDone();
    }

    /** The retirement mail a state's thread sends. */
    private void retireMail() {
        retirementQueued.set(false);
        retireDone();
    }

    /** Retires finished events at the head, in order (task thread). */
    private void retireDone() {
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
            awaitRetirement();
        }
    }

    /** Events taken and not yet retired. */
    int inFlight() {
        return inFlight.size();
    }

    /** Stops the threads (their states are closed by the operator afterwards). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (ScriptSlot s : slots) {
            s.wake();
        }
        for (ScriptSlot s : slots) {
            s.join(10_000);
        }
    }
}
