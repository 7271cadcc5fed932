package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a {@link ClusterConnection} has yet to send, commands ({@link ClusterCommand}) and whole
 * transactions ({@link ClusterTransaction}), kept in the order they were issued: a command sent
 * again after a redirect or a failure goes back to its place, so the commands of one slot reach
 * their master in the script's order. It also numbers what is issued. Not thread-safe.
 */
final class ClusterSendQueue {

    private final ArrayDeque<Object> unsent = new ArrayDeque<>();
    private long nextSeq;

    /** The order number of the next command issued. */
    long nextSeq() {
        return nextSeq++;
    }

    /** Adds a command or transaction in issue order; one already there stays where it is. */
    void add(Object o) {
        if (o instanceof ClusterTransaction t ? t.queued : ((ClusterCommand) o).queued) {
            return;
        }
        setQueued(o, true);
        long seq = seqOf(o);
        if (unsent.isEmpty() || seqOf(unsent.peekLast()) < seq) {
            unsent.addLast(o);
            return;
        }
        List<Object> all = new ArrayList<>(unsent);
        all.add(o);
        all.sort(Comparator.comparingLong(ClusterSendQueue::seqOf));
        unsent.clear();
        unsent.addAll(all);
    }

    boolean isEmpty() {
        return unsent.isEmpty();
    }

    /** Takes the first command or transaction off the list. */
    Object poll() {
        Object next = unsent.pollFirst();
        setQueued(next, false);
        return next;
    }

    /** Forgets everything waiting. */
    void clear() {
        for (Object o : unsent) {
            setQueued(o, false);
        }
        unsent.clear();
    }

    private static long seqOf(Object o) {
        return o instanceof ClusterTransaction t ? t.seq() : ((ClusterCommand) o).seq;
    }

    private static void setQueued(Object o, boolean queued) {
        if (o instanceof ClusterTransaction t) {
            t.queued = queued;
        } else {
            ((ClusterCommand) o).queued = queued;
        }
    }
}
