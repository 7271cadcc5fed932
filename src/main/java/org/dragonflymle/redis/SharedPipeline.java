package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Redis connection shared by the Lua states of one instance of a stage with {@code concurrency
 * > 1}, each on a thread of its own: the commands of the states that wait at the same time go out
 * in one write and their replies come back in one read, so one pair of system calls (and one wake
 * of redis-server) serves many events.
 *
 * <p>No thread of its own: a caller whose commands are queued while nobody talks to Redis becomes
 * the <i>leader</i>; it takes every queued group, appends them all to the connection, reads their
 * replies in order and hands each group's replies to its caller as soon as they are read. Once its
 * own are in, it sends what was queued meanwhile and passes the lead – the reading of that batch –
 * to the oldest caller in it (leader/followers), so Redis works on the next batch while that caller
 * wakes. The groups of one caller are sent together, in order; groups of different callers
 * interleave.
 *
 * <p>Wakes are what this costs on a small machine (a futex wake and a task switch each), so there
 * are as few as the design allows: a caller waits parked on its own thread ({@link LockSupport}),
 * not on a condition, and is woken exactly once – when its replies are in, or when the lead is
 * handed to it – without taking the lock again; the leader hands out replies without the lock; a
 * caller whose replies were read before it went to sleep does not sleep at all.
 *
 * <p>The connection is used by one thread at a time (the leader), handed over under a lock, so the
 * connection's interceptor (Redis-ML) needs no locking of its own. An outage is ridden out by the
 * connection as for one script; its clock is {@link CallClock#NONE} because the wait serves many
 * calls (each call's budget still ends it through {@link PipelinedConnection#abortWait()}).
 */
public final class SharedPipeline {

    private final RedisConnection redis;
    // guards queued, leading, views, closed, and a caller's leading and waitingOn
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Group> queued = new ArrayDeque<>();
    // a batch the last leader sent and nobody has read the replies of yet
    private List<Group> sent;
    private boolean leading;
    private int views;
    private boolean closed;

    /** One caller's commands, sent together, and how its wait ends. */
    private static final class Group {
        final List<List<byte[]>> commands;
        final Thread owner;
        final RespReply[] replies;
        RuntimeException failure;
        // sent by a leader (its replies are to be read); gone: its caller stopped waiting (past its
        // budget) and can lead no more; both under the lock or by the leader
        boolean sent;
        boolean gone;
        // set once each, by the leader (done), a leader passing on (lead) or abort (aborted); the
        // owner parks until one is set
        volatile boolean done;
        volatile boolean lead;
        volatile boolean aborted;

        Group(List<List<byte[]>> commands) {
            this.commands = commands;
            this.owner = Thread.currentThread();
            this.replies = new RespReply[commands.size()];
        }
    }

    /**
     * @param redis the connection, opened; closed when the last view closes
     */
    public SharedPipeline(RedisConnection redis) {
        this.redis = redis;
        redis.useClock(CallClock.NONE);
    }

    /** Where it goes, for messages. */
    public String address() {
        return redis.address();
    }

    /** A connection for one script on one thread; the pipeline closes with its last view. */
    public RedisConnection view() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("connection to " + address() + " is closed");
            }
            views++;
            return new PipelinedConnection(this);
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            if (--views > 0 || closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        redis.close();
    }

    /**
     * Sends {@code commands} (one caller's, in order) with whatever else is queued and returns
     * their replies. A command that failed for good answers with the connection's exception,
     * thrown.
     */
    RespReply[] run(List<List<byte[]>> commands, PipelinedConnection caller) {
        Group mine = new Group(commands);
        boolean leadNow;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("connection to " + address() + " is closed");
            }
            queued.addLast(mine);
            caller.waitingOn = mine;
            leadNow = !leading;
            leading = true;
            caller.leading = leadNow;
        } finally {
            lock.unlock();
        }
        try {
            if (leadNow || awaitTurn(mine)) {
                lead(mine, caller);
            }
        } finally {
            caller.waitingOn = null;
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.replies;
    }

    /**
     * Parks until {@code mine} is answered (false) or the lead is handed to it (true); throws when
     * its call is past its budget first.
     */
    private boolean awaitTurn(Group mine) {
        while (true) {
            if (mine.done) {
                return false;
            }
            if (mine.lead) {
                return true;
            }
            if (mine.aborted) {
                lock.lock();
                try {
                    if (mine.done) {
                        return false;
                    }
                    // the call is past its budget: it stops waiting; a leader that has sent the
                    // group reads and drops its replies, an unsent group is not sent
                    mine.gone = true;
                    queued.remove(mine);
                    if (mine.lead) {
                        passLead(); // handed the lead as it was aborted: the next caller leads
                    }
                } finally {
                    lock.unlock();
                }
                throw pastBudget();
            }
            LockSupport.park(this);
        }
    }

    /**
     * Talks to Redis until {@code mine} is answered: reads the replies of a batch an earlier leader
     * sent, sends what is queued and reads its replies. Then sends what was queued meanwhile and
     * hands the reading of it to the oldest caller in it, so Redis works on the next batch while
     * that caller wakes.
     */
    private void lead(Group mine, PipelinedConnection caller) {
        lock.lock();
        try {
            if (!caller.leading && mine.aborted) {
                // past its budget as the lead was handed to it: the next caller leads
                mine.gone = true;
                queued.remove(mine);
                passLead();
                throw pastBudget();
            }
            caller.leading = true;
            try {
                while (!mine.done) {
                    List<Group> batch = sent;
                    sent = null;
                    if (batch == null) {
                        batch = takeQueued();
                        lock.unlock();
                        try {
                            send(batch);
                        } finally {
                            lock.lock();
                        }
                    }
                    lock.unlock();
                    try {
                        receive(batch);
                    } finally {
                        lock.lock();
                    }
                }
                if (!queued.isEmpty()) {
                    List<Group> next = takeQueued();
                    lock.unlock();
                    try {
                        send(next);
                        redis.flush();
                    } finally {
                        lock.lock();
                        sent = next;
                    }
                }
            } finally {
                caller.leading = false;
                passLead();
            }
        } finally {
            lock.unlock();
        }
    }

    private RedisUnavailableException pastBudget() {
        return new RedisUnavailableException(
                "wait for Redis " + address() + " ended: the call is past its budget", null);
    }

    /** Every queued group, in order, as one batch. Holds the lock. */
    private List<Group> takeQueued() {
        List<Group> batch = new ArrayList<>(queued);
        queued.clear();
        return batch;
    }

    /**
     * The next leader, or nobody: the first caller still waiting in the batch sent and not read,
     * else the oldest queued caller. Holds the lock.
     */
    private void passLead() {
        Group next = null;
        if (sent != null) {
            for (int i = 0; i < sent.size() && next == null; i++) {
                Group g = sent.get(i);
                next = g.gone || g.done ? null : g; // done here: its send failed
            }
        }
        if (next == null) {
            next = queued.peekFirst();
        }
        if (next == null) {
            leading = false; // a batch sent and not read is read by the next leader first
            return;
        }
        next.lead = true;
        LockSupport.unpark(next.owner);
    }

    /** Appends every command of {@code batch}; a group that could not be sent fails at once. */
    private void send(List<Group> batch) {
        int sent = 0;
        try {
            for (int i = 0, n = batch.size(); i < n; i++) {
                Group g = batch.get(i);
                for (int c = 0, m = g.commands.size(); c < m; c++) {
                    redis.append(g.commands.get(c));
                }
                g.sent = true;
                sent++;
            }
        } catch (RuntimeException e) {
            for (int i = sent; i < batch.size(); i++) {
                finish(batch.get(i), e);
            }
        }
    }

    /** Reads the replies of {@code batch} in order, handing each group its own. */
    private void receive(List<Group> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Group g = batch.get(i);
            if (!g.sent) {
                continue; // failed in send
            }
            RuntimeException groupFailure = null;
            for (int c = 0; c < g.commands.size(); c++) {
                try {
                    g.replies[c] = redis.nextReply();
                } catch (RedisUnavailableException e) {
                    groupFailure = e;
                } catch (RuntimeException e) {
                    groupFailure = e;
                    if (redis.pendingReplies() > 0 && redis.isClosed()) {
                        break;
                    }
                }
            }
            finish(g, groupFailure);
        }
    }

    /** Hands {@code g} its answer: no lock, one unpark (none for the leader's own group). */
    private static void finish(Group g, RuntimeException failure) {
        g.failure = failure;
        g.done = true;
        if (g.owner != Thread.currentThread()) {
            LockSupport.unpark(g.owner);
        }
    }

    /**
     * Ends the wait of {@code caller} (its call is past its budget): a follower stops waiting at
     * once; a leader's socket is closed, as for one script, and the connection sends again what was
     * not answered (at-least-once, as after any dropped connection). Thread-safe.
     */
    void abort(PipelinedConnection caller) {
        boolean leader;
        lock.lock();
        try {
            leader = caller.leading;
            Group g = (Group) caller.waitingOn;
            if (!leader && g != null && !g.done) {
                g.aborted = true;
                LockSupport.unpark(g.owner);
            }
        } finally {
            lock.unlock();
        }
        if (leader) {
            redis.abortWait();
        }
    }

    /** Groups waiting for a leader to send them (for tests). */
    int queuedGroups() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /** The connection's checkpoint, once nobody talks to Redis (called between events). */
    void checkpoint() {
        lock.lock();
        try {
            if (leading || closed) {
                return; // a concurrent stage checkpoints only once every state is idle
            }
            leading = true;
        } finally {
            lock.unlock();
        }
        try {
            redis.checkpoint();
        } finally {
            lock.lock();
            try {
                passLead();
            } finally {
                lock.unlock();
            }
        }
    }
}
