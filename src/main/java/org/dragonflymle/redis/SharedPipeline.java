package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Redis connection shared by the Lua states of one instance of a stage with {@code concurrency
 * > 1}, each on a thread of its own: the commands of the states that wait at the same time go out
 * in one write and their replies come back in one read, so one pair of system calls (and one wake
 * of redis-server) serves many events.
 *
 * <p>No thread of its own: a caller whose commands are queued while nobody talks to Redis becomes
 * the <i>leader</i>; it takes every queued group, appends them all to the connection, reads their
 * replies in order, hands each group's replies to its caller as soon as they are read, and, once
 * its own are in, passes the lead to the oldest caller still queued (leader/followers). The groups
 * of one caller are sent together, in order; groups of different callers interleave.
 *
 * <p>The connection is used by one thread at a time (the leader), handed over under a lock, so the
 * connection's interceptor (Redis-ML) needs no locking of its own. An outage is ridden out by the
 * connection as for one script; its clock is {@link CallClock#NONE} because the wait serves many
 * calls (each call's budget still ends it through {@link View#abortWait()}).
 */
public final class SharedPipeline {

    private final RedisConnection redis;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Group> queued = new ArrayDeque<>();
    private boolean leading;
    private int views;
    private boolean closed;

    /** One caller's commands, sent together. */
    private static final class Group {
        final List<List<byte[]>> commands;
        final Condition ready;
        final RespReply[] replies;
        RuntimeException failure;
        boolean done;
        boolean aborted;

        Group(List<List<byte[]>> commands, Condition ready) {
            this.commands = commands;
            this.ready = ready;
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
            return new PipelinedConnection(this, lock.newCondition());
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
     *
     * @param ready the caller's condition, reused across calls
     */
    RespReply[] run(List<List<byte[]>> commands, Condition ready, PipelinedConnection caller) {
        Group mine = new Group(commands, ready);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("connection to " + address() + " is closed");
            }
            queued.add(mine);
            caller.waitingOn = mine;
            while (!mine.done) {
                if (!leading) {
                    leading = true;
                    lead(mine, caller);
                    break;
                }
                ready.awaitUninterruptibly();
                if (mine.aborted && !mine.done) {
                    // the call is past its budget: it stops waiting; a leader that has sent the
                    // group reads and drops its replies, an unsent group is not sent
                    queued.remove(mine);
                    throw new RedisUnavailableException(
                            "wait for Redis " + address() + " ended: the call is past its budget",
                            null);
                }
            }
        } finally {
            caller.waitingOn = null;
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.replies;
    }

    /** Holds the lock on entry and on exit; talks to Redis without it. */
    private void lead(Group mine, PipelinedConnection caller) {
        caller.leading = true;
        try {
            while (!mine.done) {
                List<Group> batch = new ArrayList<>(queued);
                queued.clear();
                lock.unlock();
                try {
                    exchange(batch);
                } finally {
                    lock.lock();
                }
            }
        } finally {
            caller.leading = false;
            leading = false;
            Group next = queued.peekFirst();
            if (next != null) {
                next.ready.signal(); // the oldest queued caller leads next
            }
        }
    }

    /** Appends every command of {@code batch}, then reads the replies in order. */
    private void exchange(List<Group> batch) {
        int sent = 0;
        RuntimeException failure = null;
        try {
            for (Group g : batch) {
                for (List<byte[]> command : g.commands) {
                    redis.append(command);
                }
                sent++;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 0; i < batch.size(); i++) {
            Group g = batch.get(i);
            if (i >= sent) {
                finish(g, failure);
                continue;
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

    private void finish(Group g, RuntimeException failure) {
        lock.lock();
        try {
            g.failure = failure;
            g.done = true;
            g.ready.signal();
        } finally {
            lock.unlock();
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
                g.ready.signal();
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
                leading = false;
                Group next = queued.peekFirst();
                if (next != null) {
                    next.ready.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
