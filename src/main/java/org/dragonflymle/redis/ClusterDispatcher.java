package org.dragonflymle.redis;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The sockets of a {@link ClusterConnection}, one per master ({@link ClusterNode}): sends what its
 * {@link ClusterSendQueue} holds to the master the {@link ClusterRouter} names (a transaction as a
 * whole, from its MULTI, to one node), reads the replies, and acts on the redirects ({@link
 * ClusterErrors}): MOVED updates the slot map and sends the command where it says, ASK sends it
 * once to the importing node, TRYAGAIN, CLUSTERDOWN and LOADING send it again after a pause. A
 * socket that fails is a {@link ClusterNodeFailure}: it is dropped, what it had in flight is sent
 * again in order once the slot map was read again, within the call's {@link ClusterOutage budget}.
 * Not thread-safe, except {@link #abortWait}.
 */
final class ClusterDispatcher {

    private static final byte[] SCRIPT = CommandWords.of("SCRIPT");
    private static final byte[] LOAD = CommandWords.of("LOAD");
    private static final byte[][] DISCARD_ARGS = {ClusterTransaction.DISCARD};

    /** What Redis answers a command whose keys hash to different slots. */
    private static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

    private final String address;
    private final ClusterRouter router;
    private final ClusterSendQueue unsent;
    private final ClusterOutage outage;
    private final JedisClientConfig clientConfig;

    /** The node whose reply the script thread is reading, for {@link #abortWait}. */
    private volatile ClusterNode readingFrom;

    /** Masters whose socket broke after a command was written to them since the last checkpoint. */
    private final Set<ClusterNode> brokenSinceCheckpoint = new HashSet<>();

    ClusterDispatcher(
            String address,
            ClusterRouter router,
            ClusterSendQueue unsent,
            ClusterOutage outage,
            JedisClientConfig clientConfig) {
        this.address = address;
        this.router = router;
        this.unsent = unsent;
        this.outage = outage;
        this.clientConfig = clientConfig;
    }

    /** From another thread: ends a blocked read by closing the socket it waits on. */
    void abortWait() {
        ClusterNode n = readingFrom;
        if (n != null) {
            n.closeSocket();
        }
    }

    /**
     * Waits for {@code c}'s reply: sends what waits to be sent, reads, rides out failures. When the
     * budget is spent, nothing waits to be sent any more and every socket starts afresh.
     *
     * @throws RedisUnavailableException when the budget is spent
     */
    RespReply await(ClusterCommand c) {
        try {
            while (!c.done()) {
                try {
                    sendUnsent();
                    ClusterNode node = c.sentTo;
                    if (node == null) {
                        throw new IllegalStateException(c.name() + " was not sent to " + address);
                    }
                    readFrom(node);
                } catch (ClusterNodeFailure f) {
                    failed(f);
                }
            }
            outage.succeeded();
            return c.reply();
        } catch (RedisUnavailableException e) {
            unsent.clear();
            for (ClusterNode n : router.slots().known()) {
                n.drop();
            }
            router.markStale();
            throw e;
        } finally {
            outage.endCall();
        }
    }

    /** Reads the slot map, retrying within the budget. */
    void refreshSlots() {
        try {
            router.markStale();
            while (router.stale()) {
                try {
                    router.refresh();
                } catch (ClusterNodeFailure f) {
                    failed(f);
                }
            }
            outage.succeeded();
        } finally {
            outage.endCall();
        }
    }

    /**
     * After a failure: drops the node's socket and queues what it had in flight to be sent again;
     * then pauses or gives up as the retry budget says.
     */
    private void failed(ClusterNodeFailure f) {
        if (f.node != null) {
            if (f.node.wrote) {
                brokenSinceCheckpoint.add(f.node);
            }
            requeue(f.node, f.node.drop());
        }
        router.markStale();
        outage.afterFailure(f);
    }

    /** The masters whose socket broke since the last checkpoint: the checkpoint reads, clears. */
    Set<ClusterNode> brokenSinceCheckpoint() {
        return brokenSinceCheckpoint;
    }

    /** Sends every command and transaction waiting to be sent, in the order they were issued. */
    void sendUnsent() {
        while (!unsent.isEmpty()) {
            if (router.stale()) {
                router.refresh();
            }
            Object next = unsent.poll();
            try {
                if (next instanceof ClusterTransaction t) {
                    sendTransaction(t);
                } else {
                    send((ClusterCommand) next);
                }
            } catch (RuntimeException e) {
                unsent.add(next);
                throw e;
            }
        }
        for (ClusterNode n : router.slots().known()) {
            if (n.isConnected()) {
                n.flush();
            }
        }
    }

    private void send(ClusterCommand c) {
        if (c.done()) {
            return;
        }
        ClusterTransaction t = c.tx;
        if (t != null) {
            sendMember(c, t);
            return;
        }
        if (c.slot == ClusterCommand.UNRESOLVED) {
            c.slot = router.slotOf(c.args);
        }
        ClusterNode n =
                c.target != null ? c.target : c.askTo != null ? c.askTo : router.nodeFor(c.slot);
        connect(n);
        if (n.openTx != null) {
            relocate(n.openTx, n); // not inside the transaction open on that socket
        }
        n.send(c, false);
        if (c.is(SCRIPT) && c.args.length > 1 && CommandWords.equalsIgnoreCase(c.args[1], LOAD)) {
            copyToOtherMasters(c, n);
        }
    }

    /** A command issued inside a transaction already sent: to its node, unless it must move. */
    private void sendMember(ClusterCommand c, ClusterTransaction t) {
        if (t.queued || t.node == null || c.sentTo == t.node) {
            return; // sent (or to be sent) with the whole transaction
        }
        if (c.slot == ClusterCommand.UNRESOLVED) {
            c.slot =
                    c.is(ClusterTransaction.EXEC) || c.is(ClusterTransaction.DISCARD)
                            ? ClusterCommand.KEYLESS
                            : router.slotOf(c.args);
        }
        if (t.slot < 0 && c.slot >= 0) {
            t.slot = c.slot;
            ClusterNode home = router.slots().node(c.slot);
            if (t.watch == null && home != null && home != t.node) {
                relocate(t, home); // pinned by a keyless command; its first key lives elsewhere
                return;
            }
        }
        t.node.send(c, false);
        if (c.is(ClusterTransaction.EXEC) || c.is(ClusterTransaction.DISCARD)) {
            t.node.openTx = null;
        }
    }

    /** Sends a transaction from its MULTI to the node chosen for it. */
    private void sendTransaction(ClusterTransaction t) {
        if (!t.pending()) {
            return;
        }
        if (t.slot < 0 && t.watch != null && t.watch.slot >= 0) {
            t.slot = t.watch.slot; // a watched transaction runs where its keys were watched
        }
        for (ClusterCommand m : t.members) {
            if (m.slot == ClusterCommand.UNRESOLVED) {
                m.slot =
                        m.is(ClusterTransaction.EXEC) || m.is(ClusterTransaction.DISCARD)
                                ? ClusterCommand.KEYLESS
                                : router.slotOf(m.args);
            }
            if (t.slot < 0 && m.slot >= 0) {
                t.slot = m.slot;
            }
        }
        ClusterNode n = t.node;
        if (n == null
                && t.watch != null
                && t.watch.sentTo != null
                && t.watch.sentTo.isConnected()) {
            n = t.watch.sentTo;
        }
        if (n == null) {
            n = router.nodeFor(t.slot);
        }
        connect(n);
        if (n.openTx != null && n.openTx != t) {
            relocate(n.openTx, n);
        }
        t.node = n;
        for (ClusterCommand m : t.members) {
            n.send(m, m.done());
        }
        n.openTx = t.ended() ? null : t;
    }

    /**
     * Moves a transaction to {@code target} (or the same node, to get it out of the way): what its
     * old node answers is ignored from now on, the old node is told DISCARD, and the whole
     * transaction is sent again from its MULTI with the next sending.
     */
    private void relocate(ClusterTransaction t, ClusterNode target) {
        for (ClusterCommand m : t.members) {
            m.generation++;
        }
        ClusterNode old = t.node;
        if (old != null && old.openTx == t && old.isConnected()) {
            old.send(droppable(DISCARD_ARGS), true);
            old.openTx = null;
        }
        t.node = target;
        unsent.add(t);
    }

    /** SCRIPT LOAD reaches every master, so EVALSHA finds the script on any slot. */
    private void copyToOtherMasters(ClusterCommand c, ClusterNode sentTo) {
        for (ClusterNode n : router.slots().masters()) {
            if (n != sentTo && n.openTx == null) {
                try {
                    connect(n);
                    n.send(droppable(c.args), true);
                } catch (ClusterNodeFailure f) {
                    // That master misses it (EVALSHA there answers NOSCRIPT, as after a restart);
                    // what it had in flight goes again.
                    requeue(n, n.drop());
                }
            }
        }
    }

    private ClusterCommand droppable(byte[][] args) {
        return new ClusterCommand(
                args,
                unsent.nextSeq(),
                ClusterCommand.KEYLESS,
                ClusterCommand.Kind.DROPPABLE,
                null);
    }

    /** Reads one reply from {@code n} and gives it to its command (or follows a redirect). */
    void readFrom(ClusterNode n) {
        ClusterNode.Sent sent = n.head();
        if (sent == null) {
            return;
        }
        RespReply reply;
        readingFrom = n;
        try {
            reply = n.readHead();
        } finally {
            readingFrom = null;
        }
        if (!sent.current()) {
            return;
        }
        ClusterCommand c = sent.command();
        if (reply instanceof RespReply.ErrorReply error
                && ClusterErrors.handle(this, c, n, error)) {
            return;
        }
        c.answer(reply);
    }

    /** MOVED: the slot map was wrong for {@code slot}; the command goes where Redis says. */
    void moved(ClusterCommand c, ClusterNode from, int slot, HostAndPort to) {
        ClusterNode target = router.slots().node(to);
        router.slots().assign(slot, target);
        router.markStale();
        ClusterTransaction t = c.tx;
        if (t != null) {
            if (t.slot >= 0 && slot != t.slot) {
                c.answer(RespReply.error(CROSSSLOT)); // Redis flagged the transaction itself
            } else {
                t.slot = slot;
                relocate(t, target);
            }
            return;
        }
        if (++c.redirects > ClusterCommand.MAX_REDIRECTS) {
            c.answer(RespReply.error("MOVED " + slot + " " + to));
            return;
        }
        sendAgain(c);
        // What followed it on that socket may be redirected too: read it now, so the commands of
        // one slot are sent again in the order they were issued.
        while (from.hasInFlight()) {
            readFrom(from);
        }
    }

    /** ASK: once to the importing node, after ASKING; the slot map stays as it is. */
    void ask(ClusterCommand c, HostAndPort to) {
        c.askTo = router.slots().node(to);
        sendAgain(c);
    }

    /**
     * TRYAGAIN, CLUSTERDOWN, LOADING: the command is sent again after a pause, as in an outage (a
     * transaction from its MULTI: Redis discarded it).
     */
    void retryLater(ClusterCommand c, ClusterNode n, String why) {
        if (c.tx != null) {
            relocate(c.tx, null);
        } else {
            sendAgain(c);
        }
        throw new ClusterNodeFailure(null, n + " answered " + why, true);
    }

    private void sendAgain(ClusterCommand c) {
        c.sentTo = null;
        unsent.add(c);
    }

    /** Connects {@code n} unless it is: one attempt of the call's budget. */
    void connect(ClusterNode n) {
        if (n.isConnected()) {
            return;
        }
        outage.attempt();
        try {
            n.connect(clientConfig);
        } catch (JedisDataException e) {
            throw outage.refused(e);
        }
        outage.connected();
    }

    /** Commands whose replies a dropped socket will never bring: sent again, in order. */
    private void requeue(ClusterNode dropped, List<ClusterNode.Sent> lost) {
        for (ClusterNode.Sent s : lost) {
            ClusterCommand c = s.command();
            if (!s.current() || c.kind == ClusterCommand.Kind.DROPPABLE) {
                continue;
            }
            if (c.target != null) {
                c.answer(RespReply.error("ERR " + dropped + " went away")); // only it would do
            } else if (c.tx != null) {
                if (c.tx.node == dropped) {
                    c.tx.node = null; // chosen again from the new slot map
                }
                unsent.add(c.tx);
            } else {
                sendAgain(c);
            }
        }
    }
}
