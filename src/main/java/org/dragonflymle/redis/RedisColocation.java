package org.dragonflymle.redis;

import java.util.BitSet;
import java.util.Optional;
import java.util.OptionalLong;
import org.dragonflymle.os.CpuAffinity;
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
 * the hello-world pipeline went from about 30,000 to 46,000 events/s.
 *
 * <p><b>When.</b> The decision is taken once per connection, after {@link #ROUND_TRIPS} replies
 * read from Redis (a script that only talks to Redis in {@code setup()} stays where it is), and
 * only when all of these hold:
 *
 * <ul>
 *   <li>the stage allows it (its parallelism is small, see {@code ScriptOperator}) and the system
 *       property {@code dragonfly.redis.colocate} is not {@code false};
 *   <li>Redis is reached through its Unix socket, so the kernel names the server's process;
 *   <li>that process may run on exactly one CPU (redis-server as this engine starts it, or as an
 *       operator confines it with {@code taskset} or systemd's {@code CPUAffinity=}), and this
 *       process may run there too.
 * </ul>
 *
 * Otherwise nothing changes: the thread stays where the scheduler puts it and polls. The decision
 * is logged either way. A moved thread keeps its CPU across reconnects and gets its former CPUs
 * back when the connection is closed. Not thread-safe: it belongs to one connection.
 */
final class RedisColocation {

    /** Replies read before deciding: 20 ms of a Redis-bound stage, more than a model load. */
    static final int ROUND_TRIPS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(RedisColocation.class);
    private static final String SWITCH = "dragonfly.redis.colocate";

    private final String address;
    private int untilDecision;
    private boolean colocated;
    private long movedThread;
    private BitSet cpusBefore;

    private RedisColocation(String address, int untilDecision) {
        this.address = address;
        this.untilDecision = untilDecision;
    }

    /** Never moves the thread. */
    static RedisColocation off() {
        return new RedisColocation("", 0);
    }

    /**
     * Decides after {@code roundTrips} replies, if {@code allowed}, the connection goes through a
     * Unix socket and the system property does not switch it off.
     */
    static RedisColocation after(
            int roundTrips, String address, boolean unixSocket, boolean allowed) {
        boolean on = allowed && unixSocket && !"false".equals(System.getProperty(SWITCH));
        return on ? new RedisColocation(address, roundTrips) : off();
    }

    /** Counts one reply read from Redis on {@code connection}; decides at the set count. */
    void replyRead(TypedReplyConnection connection) {
        if (untilDecision > 0 && --untilDecision == 0) {
            decide(connection);
        }
    }

    /** Whether this connection's thread now runs on Redis's CPU (new connections must not poll). */
    boolean colocated() {
        return colocated;
    }

    /**
     * Gives the thread back its former CPUs, when the connection closes: the thread may go on to
     * other work, and threads it starts would inherit the one CPU.
     */
    void release() {
        if (colocated) {
            colocated = false;
            CpuAffinity.setThread(movedThread, cpusBefore);
        }
    }

    private void decide(TypedReplyConnection connection) {
        String thread = Thread.currentThread().getName();
        long pid = connection.peerPid();
        Optional<BitSet> serverCpus = CpuAffinity.ofProcess(pid);
        if (serverCpus.isEmpty() || serverCpus.get().cardinality() != 1) {
            LOG.info(
                    "{} keeps polling Redis {}: redis-server{} is not confined to one CPU"
                            + " (confining it lets this thread sleep on its CPU instead)",
                    thread,
                    address,
                    pid > 0 ? " (pid " + pid + ")" : "");
            return;
        }
        BitSet cpu = serverCpus.get();
        OptionalLong tid = CpuAffinity.currentThreadId();
        Optional<BitSet> before =
                tid.isPresent() ? CpuAffinity.ofThread(tid.getAsLong()) : Optional.empty();
        boolean mayRunThere =
                CpuAffinity.ofThisProcess().map(own -> own.intersects(cpu)).orElse(false);
        if (!mayRunThere || before.isEmpty() || !CpuAffinity.setThread(tid.getAsLong(), cpu)) {
            LOG.info(
                    "{} keeps polling Redis {}: cannot move to CPU {}, where redis-server (pid {})"
                            + " runs",
                    thread,
                    address,
                    CpuAffinity.format(cpu),
                    pid);
            return;
        }
        colocated = true;
        movedThread = tid.getAsLong();
        cpusBefore = before.get();
        connection.stopPolling();
        LOG.info(
                "{} now waits for Redis {} on CPU {}, the one redis-server (pid {}) is confined to",
                thread,
                address,
                CpuAffinity.format(cpu),
                pid);
    }
}
