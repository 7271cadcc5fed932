package org.dragonflymle.redis;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.dragonflymle.os.CpuAffinity;
import org.dragonflymle.os.CpuAffinityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a script thread that keeps waiting on a local Redis onto the one CPU that redis-server is
 * confined to, where it then sleeps in a blocking read instead of polling for each reply.
 *
 * <p><b>Why.</b> A CPU with nothing to do halts, and on a virtual machine waking a halted CPU for
 * every request and every reply costs more than Redis takes to answer. On one CPU a round trip is
 * two context switches and wakes nothing. Measured on this project's 2-core VM with one client
 * doing INCR: 12,900/s with client and server on different CPUs, 45,000–47,500/s on the same one;
 * hello-world went from 31,313 to 54,109 events/s ({@code scripts/bench}).
 *
 * <p><b>When.</b> Counting starts when the stage {@link #allow allows} it (after its {@code
 * setup()}, so loading a model does not count), and the decision is taken once, on the thread that
 * allowed it, after {@link #ROUND_TRIPS} further replies read from Redis. The thread moves only
 * when all of these hold:
 *
 * <ul>
 *   <li>the system property {@code dragonfly.redis.colocate} is not {@code false};
 *   <li>Redis is reached through its Unix socket, so the kernel names the server's process (it
 *       cannot when that process is in a PID namespace this one does not see);
 *   <li>that process may run on exactly one CPU (redis-server as this engine starts it, or as an
 *       operator confines it with {@code taskset} or systemd's {@code CPUAffinity=}), and this
 *       process may run there too;
 *   <li>fewer than {@link #MAX_THREADS_PER_CPU} threads of this process have moved there.
 * </ul>
 *
 * Otherwise the thread stays where the scheduler puts it and polls. The decision, once taken, is
 * logged either way. A moved thread keeps its CPU across reconnects; it gets its former CPUs back
 * when the last of its connections that moved it closes. Several connections of one thread share
 * one move; a connection to a Redis on another CPU leaves an already moved thread where it is.
 */
public final class RedisColocation {

    /** Replies read before deciding: 20 ms of a Redis-bound stage. */
    static final int ROUND_TRIPS = 1_000;

    /**
     * Two callers fill Redis's CPU (hello-world: 54,109 events/s with one instance there, 50,061
     * with two); more would all share one core while the other cores idle.
     */
    static final int MAX_THREADS_PER_CPU = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RedisColocation.class);
    private static final String SWITCH = "dragonfly.redis.colocate";

    /** Guards {@link #THREADS_ON_CPU} and every {@link Move#holders}. */
    private static final Object LOCK = new Object();

    private static final Map<Integer, Integer> THREADS_ON_CPU = new HashMap<>();
    private static final ThreadLocal<Move> THIS_THREADS_MOVE = new ThreadLocal<>();

    private final String address;
    private final boolean unixSocket;
    private Thread owner;
    private int untilDecision;
    private Move move;

    /** One thread's move: where it went, where it came from, how many connections hold it. */
    private static final class Move {
        final long tid;
        final int cpu;
        final BitSet cpusBefore;
        int holders;

        Move(long tid, int cpu, BitSet cpusBefore) {
            this.tid = tid;
            this.cpu = cpu;
            this.cpusBefore = cpusBefore;
        }
    }

    RedisColocation(String address, boolean unixSocket) {
        this.address = address;
        this.unixSocket = unixSocket;
    }

    /**
     * From now on, counts the replies the calling thread reads and decides at {@link #ROUND_TRIPS};
     * a no-op after the first call, over TCP, or when the system property switches it off.
     */
    void allow() {
        if (owner == null && unixSocket && !"false".equals(System.getProperty(SWITCH))) {
            owner = Thread.currentThread();
            untilDecision = ROUND_TRIPS;
        }
    }

    /** Counts one reply read from Redis on {@code connection}; decides at the set count. */
    void replyRead(TypedReplyConnection connection) {
        // Replies read in a Lua coroutine (another Java thread) do not count: moving that thread
        // would leave the stage's own thread blocking from another CPU.
        if (untilDecision > 0 && Thread.currentThread() == owner && --untilDecision == 0) {
            decide(connection);
        }
    }

    /** Whether this connection's thread now runs on Redis's CPU (new connections must not poll). */
    boolean colocated() {
        return move != null;
    }

    /** Gives the thread back its former CPUs if this was the last connection holding its move. */
    void release() {
        Move m = move;
        if (m == null) {
            return;
        }
        move = null;
        synchronized (LOCK) {
            if (--m.holders > 0) {
                return;
            }
            THREADS_ON_CPU.merge(m.cpu, -1, Integer::sum);
        }
        if (THIS_THREADS_MOVE.get() == m) {
            THIS_THREADS_MOVE.remove();
        }
        try {
            CpuAffinity.setThread(m.tid, m.cpusBefore);
        } catch (CpuAffinityException e) {
            LOG.warn(
                    "Redis {} closed, but its thread keeps CPU {}: {}",
                    address,
                    m.cpu,
                    e.getMessage());
        }
    }

    private void decide(TypedReplyConnection connection) {
        long pid = connection.peerPid();
        if (pid <= 0) {
            keepPolling("the kernel does not name the server's process (another PID namespace?)");
            return;
        }
        Optional<BitSet> serverCpus = CpuAffinity.ofProcess(pid);
        if (serverCpus.isEmpty() || serverCpus.get().cardinality() != 1) {
            keepPolling(
                    "redis-server (pid "
                            + pid
                            + ") is not confined to one CPU (confining it lets this thread sleep on"
                            + " its CPU instead)");
            return;
        }
        int cpu = serverCpus.get().nextSetBit(0);
        Move existing = THIS_THREADS_MOVE.get();
        synchronized (LOCK) {
            if (existing != null && existing.holders == 0) {
                // released from another thread after this one moved: the move is over
                THIS_THREADS_MOVE.remove();
                existing = null;
            }
        }
        if (existing != null) {
            joinOrKeep(existing, cpu, connection);
            return;
        }
        if (!CpuAffinity.ofThisProcess().map(own -> own.get(cpu)).orElse(false)) {
            keepPolling(
                    "redis-server (pid "
                            + pid
                            + ") runs on CPU "
                            + cpu
                            + ", outside this process's");
            return;
        }
        OptionalLong tid = CpuAffinity.currentThreadId();
        Optional<BitSet> before =
                tid.isPresent() ? CpuAffinity.ofThread(tid.getAsLong()) : Optional.empty();
        if (before.isEmpty()) {
            keepPolling("this thread's CPUs cannot be read");
            return;
        }
        synchronized (LOCK) {
            int there = THREADS_ON_CPU.getOrDefault(cpu, 0);
            if (there >= MAX_THREADS_PER_CPU) {
                keepPolling(
                        there
                                + " threads already wait on CPU "
                                + cpu
                                + ", where redis-server runs");
                return;
            }
            THREADS_ON_CPU.put(cpu, there + 1);
        }
        Move m = new Move(tid.getAsLong(), cpu, before.get());
        try {
            CpuAffinity.setThread(m.tid, onlyCpu(cpu));
        } catch (CpuAffinityException e) {
            synchronized (LOCK) {
                THREADS_ON_CPU.merge(cpu, -1, Integer::sum);
            }
            keepPolling(e.getMessage());
            return;
        }
        m.holders = 1;
        THIS_THREADS_MOVE.set(m);
        move = m;
        connection.stopPolling();
        LOG.info(
                "{} now waits for Redis {} on CPU {}, the one redis-server (pid {}) is confined to",
                Thread.currentThread().getName(),
                address,
                cpu,
                pid);
    }

    /** This thread already moved for another connection: share that move if it is the same CPU. */
    private void joinOrKeep(Move existing, int cpu, TypedReplyConnection connection) {
        if (existing.cpu != cpu) {
            keepPolling("this thread already waits on CPU " + existing.cpu + " for another Redis");
            return;
        }
        synchronized (LOCK) {
            existing.holders++;
        }
        move = existing;
        connection.stopPolling();
    }

    private void keepPolling(String why) {
        LOG.info("{} keeps polling Redis {}: {}", Thread.currentThread().getName(), address, why);
    }

    private static BitSet onlyCpu(int cpu) {
        BitSet set = new BitSet();
        set.set(cpu);
        return set;
    }
}
