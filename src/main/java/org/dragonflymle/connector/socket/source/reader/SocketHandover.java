package org.dragonflymle.connector.socket.source.reader;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.Internal;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.internal.DropReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket inputs kept bound from one job to the next of the same process: what lets a local reload
 * (docs/running.md#reloading-a-running-engine) drop no datagram. While the launcher holds the
 * handover open ({@link #open}, around the stop of the old job), a socket reader that closes leaves
 * its socket bound and its {@link Receiver} receiving into its buffer, and parks both here; the
 * reader of the next job that reads the same input ({@link SocketUri} equal, options and all) takes
 * them over instead of binding, and emits first what was received in between. Events that do not
 * fit the buffer meanwhile are dropped and counted as always ({@code overflow=drop}), or wait in
 * the socket ({@code overflow=block}).
 *
 * <p>Outside a handover (a cluster's TaskManager never opens one; a failover; the end of a run)
 * readers close their sockets as they always do. The launcher closes what no job took: {@link
 * #releaseAllBut} once the new job is known, {@link #releaseAll} at the end of the run.
 *
 * <p>Thread-safe; process-wide, as the sockets are.
 */
@Internal
public final class SocketHandover {

    private static final Logger LOG = LoggerFactory.getLogger(SocketHandover.class);

    /** A socket left bound by a reader that closed during a handover. */
    record Held(Receiver receiver, DropReporter drops, long droppedBefore) {}

    private static final Map<SocketUri, Held> PARKED = new ConcurrentHashMap<>();
    private static volatile boolean open;

    private SocketHandover() {}

    /** From now on, socket readers that close park their sockets here (a reload stops its job). */
    public static void open() {
        open = true;
    }

    /** Readers close their sockets again (the old job has stopped). */
    public static void close() {
        open = false;
    }

    /** Parks {@code receiver} if a handover is open; false when the caller must close it. */
    static boolean park(Receiver receiver, DropReporter drops) {
        if (!open) {
            return false;
        }
        Held previous = PARKED.put(receiver.uri, new Held(receiver, drops, drops.total()));
        if (previous != null) {
            previous.receiver().close(); // cannot happen with one reader per socket; never leak
        }
        LOG.info(
                "{}: socket kept bound for the next job, {} events waiting",
                receiver.uri,
                receiver.buffer.size());
        return true;
    }

    /**
     * Takes over the socket parked for {@code uri}, its later drops counted in {@code drops}; a
     * socket parked with other options is closed (the caller binds anew).
     *
     * @return the receiver, or null when none is parked for this input
     */
    static Receiver claim(SocketUri uri, DropReporter drops) {
        Held held = PARKED.remove(uri);
        if (held == null) {
            for (SocketUri other : Set.copyOf(PARKED.keySet())) {
                if (other.path().equals(uri.path())) {
                    release(other); // the same socket, other options: rebound with the new ones
                }
            }
            return null;
        }
        held.receiver().reportTo(drops);
        long whileParked = held.drops().total() - held.droppedBefore();
        if (whileParked > 0) {
            drops.dropped(
                    whileParked,
                    "input buffer full while the job was switched; see the buffer= option");
        }
        LOG.info(
                "{}: socket taken over from the previous job, {} events waiting, {} dropped"
                        + " meanwhile",
                uri,
                held.receiver().buffer.size(),
                whileParked);
        return held.receiver();
    }

    /** Closes every parked socket but those of {@code inputs} (the inputs of the job now). */
    public static void releaseAllBut(Set<SocketUri> inputs) {
        for (SocketUri uri : Set.copyOf(PARKED.keySet())) {
            if (!inputs.contains(uri)) {
                release(uri);
            }
        }
    }

    /** Closes every parked socket (the run ends). */
    public static void releaseAll() {
        releaseAllBut(Set.of());
    }

    private static void release(SocketUri uri) {
        Held held = PARKED.remove(uri);
        if (held != null) {
            int lost = held.receiver().buffer.size();
            held.receiver().buffer.close();
            held.receiver().close();
            LOG.info("{}: socket closed, no job reads it any more ({} events not read)", uri, lost);
        }
    }
}
