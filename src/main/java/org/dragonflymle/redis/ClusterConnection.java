package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One script's connection to a Redis Cluster, with the same lua-hiredis semantics as {@link
 * ReconnectingConnection} (see {@link RedisConnection}): replies in the order the script issued the
 * commands, whichever masters answer them.
 *
 * <p><b>Routing.</b> A command goes to the master serving its first key's slot ({@link
 * CommandKeys}: what the server says about the command); that master checks the other keys and
 * answers {@code CROSSSLOT} itself when they hash elsewhere. Keyless commands ({@code PING}, {@code
 * TIME}, {@code INFO}, {@code EVAL} with no key) go to the master serving slot 0; {@code SCRIPT
 * LOAD} goes to every master (the script sees slot 0's master's reply), so {@code EVALSHA} works on
 * any slot. MOVED updates the slot map and the command goes where it says; ASK sends it once to the
 * importing node after ASKING; TRYAGAIN, CLUSTERDOWN and LOADING wait and retry as an outage.
 *
 * <p><b>Transactions.</b> {@code MULTI} is answered OK at once and sent, with the commands after
 * it, to the master of its first keyed command (or, after a WATCH, where the WATCH went). A command
 * inside it whose key hashes to another slot is answered {@code CROSSSLOT} and the transaction is
 * not run (the master answers EXEC with EXECABORT or CROSSSLOT). Redis-ML commands inside a
 * transaction are refused as on one server.
 *
 * <p><b>Failures.</b> Every command is kept until its reply is read. When a master's socket drops,
 * its commands are sent again, in the order issued, to whichever master serves their slot after the
 * slot map is read again (a promoted replica after a failover), a transaction from its MULTI; side
 * effects are at-least-once as on one server. The wait is bounded by the {@link ReconnectPolicy}'s
 * budget per call and logged as one outage of the cluster.
 *
 * <p>Not thread-safe: one script thread uses it.
 */
public final class ClusterConnection implements RedisConnection {

    static final byte[] MULTI = CommandWords.of("MULTI");
    static final byte[] EXEC = CommandWords.of("EXEC");
    static final byte[] DISCARD = CommandWords.of("DISCARD");
    private static final byte[] WATCH = CommandWords.of("WATCH");
    private static final byte[] UNWATCH = CommandWords.of("UNWATCH");
    private static final byte[] SCRIPT = CommandWords.of("SCRIPT");
    private static final byte[] LOAD = CommandWords.of("LOAD");
    private static final byte[][] DISCARD_ARGS = {DISCARD};
    private static final byte[][] WAIT_ARGS = {
        CommandWords.of("WAIT"),
        CommandWords.of("1"),
        CommandWords.of(Long.toString(REPLICA_WAIT.toMillis()))
    };
    private static final byte[][] MULTI_ARGS = {MULTI};
    private static final List<byte[]> CLUSTER_SLOTS =
            List.of(CommandWords.of("CLUSTER"), CommandWords.of("SLOTS"));
    private static final byte[][] NO_ARGS = new byte[0][];

    /** What Redis answers a command whose keys hash to different slots. */
    static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

    private final String address;
    private final List<HostAndPort> seeds = new ArrayList<>();
    private final JedisClientConfig clientConfig;
    private final ReconnectPolicy policy;
    private final RetryBudget retries;
    private final CommandInterceptor interceptor;
    private final RedisOutageLog outages;
    private final RedisCommandExecutor direct = this::executeDirect;
    private final ClusterSlots slots = new ClusterSlots();
    private final CommandKeys keys = new CommandKeys();
    private final ClusterMetaLink meta;
    private final RedisCommandExecutor metaExecutor = this::askCluster;
    private final ArrayDeque<ClusterCommand> queue = new ArrayDeque<>();
    private final ArrayDeque<Object> unsent = new ArrayDeque<>();
    private final java.util.Set<ClusterNode> brokenSinceCheckpoint = new java.util.HashSet<>();

    private long nextSeq;
    private ClusterTransaction tx;
    private ClusterCommand lastWatch;
    private boolean topologyStale = true;
    private boolean failedInCall;
    private boolean closed;
    private CallClock clock = CallClock.NONE;

    /** The node whose reply the script thread is reading, for {@link #abortWait}. */
    private volatile ClusterNode readingFrom;

    private String lastFailure = "";

    private ClusterConnection(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        RedisTopology.Cluster cluster = (RedisTopology.Cluster) spec.topology();
        this.address = spec.address();
        for (RedisAddress seed : cluster.seeds()) {
            seeds.add(new HostAndPort(seed.host(), seed.port()));
        }
        this.clientConfig =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(millis(policy.connectTimeout().toMillis()))
                        .socketTimeoutMillis(millis(policy.socketTimeout().toMillis()))
                        .user(spec.user())
                        .password(spec.password())
                        .ssl(spec.tls())
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                        .build();
        this.policy = policy;
        this.retries = new RetryBudget(policy);
        this.interceptor = interceptor;
        this.outages = outages;
        this.meta = new ClusterMetaLink(clientConfig);
    }

    /**
     * Reads the slot map from the seed nodes, retrying within the policy's budget.
     *
     * @throws RedisUnavailableException when no node answers in time or one refuses the handshake
     */
    public static ClusterConnection open(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        ClusterConnection c =
                new ClusterConnection(
                        Objects.requireNonNull(spec, "spec"),
                        Objects.requireNonNull(policy, "policy"),
                        Objects.requireNonNull(interceptor, "interceptor"),
                        Objects.requireNonNull(outages, "outages"));
        try {
            c.refreshWithinBudget();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Reads the slot map, retrying within the budget. */
    private void refreshWithinBudget() {
        try {
            topologyStale = true;
            while (topologyStale) {
                try {
                    refreshTopology();
                } catch (NodeFailure f) {
                    failed(f);
                }
            }
            if (failedInCall) {
                outages.reachable(address);
            }
        } finally {
            endCall();
        }
    }

    /**
     * WAIT until a replica has what each master was sent since the last checkpoint (in parallel, at
     * most {@link #REPLICA_WAIT}); then, for every master whose socket broke since, find out
     * whether it is still the master of its slots: one replaced by its replica, or unreachable with
     * replicas that may take over, fails the checkpoint.
     */
    @Override
    public void checkpoint() {
        ensureOpen();
        List<ClusterCommand> waits = new ArrayList<>();
        for (ClusterNode n : slots.masters()) {
            if (n.wrote && n.replicas != 0 && n.isConnected()) {
                ClusterCommand w =
                        new ClusterCommand(
                                WAIT_ARGS,
                                nextSeq++,
                                ClusterCommand.KEYLESS,
                                ClusterCommand.Kind.INTERNAL,
                                null);
                w.target = n;
                addUnsent(w);
                waits.add(w);
            }
        }
        for (ClusterCommand w : waits) {
            try {
                await(w);
            } catch (RedisUnavailableException e) {
                // that master went away: looked at below
            }
        }
        for (ClusterNode n : slots.known()) {
            n.wrote = false;
        }
        if (brokenSinceCheckpoint.isEmpty()) {
            return;
        }
        List<String> lost = new ArrayList<>();
        try {
            refreshWithinBudget();
            java.util.Collection<ClusterNode> masters = slots.masters();
            for (ClusterNode n : brokenSinceCheckpoint) {
                if (n.replicas == 0) {
                    continue; // nothing could have taken over from it
                }
                if (!masters.contains(n)) {
                    lost.add(n + " was replaced by a replica");
                    continue;
                }
                try {
                    connect(n);
                } catch (NodeFailure f) {
                    lost.add(n + " is unreachable (" + f.getMessage() + ")");
                } finally {
                    endCall();
                }
            }
        } catch (RedisUnavailableException e) {
            lost.add("no node answers (" + e.getMessage() + ")");
        } finally {
            brokenSinceCheckpoint.clear();
        }
        if (!lost.isEmpty()) {
            throw new RedisFailoverException(
                    "Redis "
                            + address
                            + ": since the last checkpoint, master "
                            + String.join("; master ", lost)
                            + "; writes it acknowledged but had not passed on to its replica may"
                            + " be lost, so the stage goes back to its last checkpoint and replays"
                            + " the events since");
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public RespReply command(List<byte[]> args) {
        ensureOpen();
        RespReply answer = interceptor.intercept(args, direct);
        if (queue.isEmpty() && answer != null) {
            return answer;
        }
        submit(args, answer);
        return nextReply();
    }

    @Override
    public void append(List<byte[]> args) {
        ensureOpen();
        submit(args, interceptor.intercept(args, direct));
    }

    @Override
    public RespReply nextReply() {
        ensureOpen();
        ClusterCommand head = queue.peekFirst();
        if (head == null) {
            throw new IllegalStateException("no reply pending on " + address + ": nothing queued");
        }
        try {
            if (!head.done()) {
                await(head);
            }
            return head.reply();
        } finally {
            queue.pollFirst();
        }
    }

    @Override
    public int pendingReplies() {
        return queue.size();
    }

    @Override
    public void useClock(CallClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void abortWait() {
        ClusterNode n = readingFrom;
        if (n != null) {
            n.closeSocket();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        unsent.clear();
        tx = null;
        for (ClusterNode n : slots.known()) {
            n.drop();
        }
        meta.close();
    }

    @Override
    public String toString() {
        return "ClusterConnection[" + address + (closed ? ", closed]" : "]");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("connection to " + address + " is closed");
        }
    }

    /** Queues one of the script's commands for sending, in order; nothing is written yet. */
    private void submit(List<byte[]> args, RespReply answer) {
        if (answer != null) {
            queue.addLast(ClusterCommand.answered(answer));
            return;
        }
        byte[][] copy = args.toArray(NO_ARGS);
        byte[] name = copy[0];
        if (tx == null && CommandWords.equalsIgnoreCase(name, MULTI)) {
            tx = new ClusterTransaction();
            tx.watch = lastWatch;
            tx.members.add(
                    new ClusterCommand(
                            MULTI_ARGS,
                            nextSeq++,
                            ClusterCommand.KEYLESS,
                            ClusterCommand.Kind.INTERNAL,
                            tx));
            queue.addLast(ClusterCommand.answered(RespReply.OK));
            return;
        }
        ClusterCommand c =
                new ClusterCommand(
                        copy, nextSeq++, ClusterCommand.UNRESOLVED, ClusterCommand.Kind.SCRIPT, tx);
        queue.addLast(c);
        if (tx != null) {
            tx.members.add(c);
            if (c.is(EXEC) || c.is(DISCARD)) {
                tx = null;
                lastWatch = null;
            }
            if (c.tx.node == null || c.tx.queued) {
                addUnsent(c.tx); // the first command after MULTI: the transaction goes as a whole
                return;
            }
        } else if (c.is(WATCH)) {
            lastWatch = c;
        } else if (c.is(UNWATCH) || c.is(EXEC) || c.is(DISCARD)) {
            lastWatch = null;
        }
        addUnsent(c);
    }

    /** For the interceptor: one command to Redis, bypassing it, after what was issued before. */
    private RespReply executeDirect(List<byte[]> args) {
        ensureOpen();
        if (tx != null) {
            // As on one server, where Redis would queue it: the interceptor refuses to run then.
            return RespReply.QUEUED;
        }
        ClusterCommand c =
                new ClusterCommand(
                        args.toArray(NO_ARGS),
                        nextSeq++,
                        ClusterCommand.UNRESOLVED,
                        ClusterCommand.Kind.INTERNAL,
                        null);
        addUnsent(c);
        return await(c);
    }

    /** Waits for {@code c}'s reply: sends what waits to be sent, reads, rides out failures. */
    private RespReply await(ClusterCommand c) {
        try {
            while (!c.done()) {
                try {
                    sendUnsent();
                    ClusterNode node = c.sentTo;
                    if (node == null) {
                        throw new IllegalStateException(c.name() + " was not sent to " + address);
                    }
                    readFrom(node);
                } catch (NodeFailure f) {
                    failed(f);
                }
            }
            if (failedInCall) {
                outages.reachable(address);
            }
            return c.reply();
        } catch (RedisUnavailableException e) {
            failEverything(e);
            throw e;
        } finally {
            endCall();
        }
    }

    private void endCall() {
        retries.endCall();
        failedInCall = false;
        clock.outageWaitEnds();
    }

    /** Sends every command and transaction waiting to be sent, in the order they were issued. */
    private void sendUnsent() {
        while (!unsent.isEmpty()) {
            if (topologyStale) {
                refreshTopology();
            }
            Object next = unsent.pollFirst();
            setQueued(next, false);
            try {
                if (next instanceof ClusterTransaction t) {
                    sendTransaction(t);
                } else {
                    send((ClusterCommand) next);
                }
            } catch (RuntimeException e) {
                addUnsent(next);
                throw e;
            }
        }
        for (ClusterNode n : slots.known()) {
            if (n.isConnected()) {
                flush(n);
            }
        }
    }

    private static void setQueued(Object o, boolean queued) {
        if (o instanceof ClusterTransaction t) {
            t.queued = queued;
        } else {
            ((ClusterCommand) o).queued = queued;
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
            c.slot = slotOf(c.args);
        }
        ClusterNode n = c.target != null ? c.target : c.askTo != null ? c.askTo : nodeFor(c.slot);
        connect(n);
        if (n.openTx != null) {
            relocate(n.openTx, n); // not inside the transaction open on that socket
        }
        write(n, c, false);
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
            c.slot = c.is(EXEC) || c.is(DISCARD) ? ClusterCommand.KEYLESS : slotOf(c.args);
        }
        if (t.slot < 0 && c.slot >= 0) {
            t.slot = c.slot;
            ClusterNode home = slots.node(c.slot);
            if (t.watch == null && home != null && home != t.node) {
                relocate(t, home); // pinned by a keyless command; its first key lives elsewhere
                return;
            }
        }
        write(t.node, c, false);
        if (c.is(EXEC) || c.is(DISCARD)) {
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
                m.slot = m.is(EXEC) || m.is(DISCARD) ? ClusterCommand.KEYLESS : slotOf(m.args);
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
            n = nodeFor(t.slot);
        }
        connect(n);
        if (n.openTx != null && n.openTx != t) {
            relocate(n.openTx, n);
        }
        t.node = n;
        for (ClusterCommand m : t.members) {
            write(n, m, m.done());
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
            write(old, droppable(DISCARD_ARGS), true);
            old.openTx = null;
        }
        t.node = target;
        addUnsent(t);
    }

    /** SCRIPT LOAD reaches every master, so EVALSHA finds the script on any slot. */
    private void copyToOtherMasters(ClusterCommand c, ClusterNode sentTo) {
        for (ClusterNode n : slots.masters()) {
            if (n != sentTo && n.openTx == null) {
                try {
                    connect(n);
                    write(n, droppable(c.args), true);
                } catch (NodeFailure f) {
                    // That master misses it (EVALSHA there answers NOSCRIPT, as after a restart);
                    // what it had in flight goes again.
                    requeue(n, n.drop());
                }
            }
        }
    }

    private ClusterCommand droppable(byte[][] args) {
        return new ClusterCommand(
                args, nextSeq++, ClusterCommand.KEYLESS, ClusterCommand.Kind.DROPPABLE, null);
    }

    private void write(ClusterNode n, ClusterCommand c, boolean absorb) {
        try {
            n.send(c, absorb);
        } catch (JedisConnectionException e) {
            throw new NodeFailure(n, "writing to " + n + ": " + RedisOutageLog.describe(e), false);
        }
    }

    private void flush(ClusterNode n) {
        try {
            n.flush();
        } catch (JedisConnectionException e) {
            throw new NodeFailure(n, "writing to " + n + ": " + RedisOutageLog.describe(e), false);
        }
    }

    /** Reads one reply from {@code n} and gives it to its command (or follows a redirect). */
    private void readFrom(ClusterNode n) {
        ClusterNode.Sent sent = n.head();
        if (sent == null) {
            return;
        }
        RespReply reply;
        readingFrom = n;
        try {
            reply = n.readHead();
        } catch (JedisConnectionException e) {
            throw new NodeFailure(
                    n, "reading from " + n + ": " + RedisOutageLog.describe(e), false);
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
        ClusterNode target = slots.node(to);
        slots.assign(slot, target);
        topologyStale = true;
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
        c.askTo = slots.node(to);
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
        throw new NodeFailure(null, n + " answered " + why, true);
    }

    private void sendAgain(ClusterCommand c) {
        c.sentTo = null;
        addUnsent(c);
    }

    /** The master for {@code slot} (keyless: slot 0's); a slot nobody serves is an outage. */
    private ClusterNode nodeFor(int slot) {
        ClusterNode n = slot >= 0 ? slots.node(slot) : slots.keyless();
        if (n == null) {
            topologyStale = true;
            throw new NodeFailure(
                    null, "no master serves slot " + slot + " (the cluster is down)", true);
        }
        return n;
    }

    private int slotOf(byte[][] args) {
        byte[] key = keys.firstKey(java.util.Arrays.asList(args), metaExecutor);
        return key == null ? ClusterCommand.KEYLESS : JedisClusterCRC16.getSlot(key);
    }

    /** COMMAND INFO and friends, on the connection's own socket to any node. */
    private RespReply askCluster(List<byte[]> command) {
        try {
            return meta.execute(command, candidates());
        } catch (JedisConnectionException e) {
            throw new NodeFailure(null, RedisOutageLog.describe(e), true);
        } catch (JedisDataException e) {
            throw refused(e);
        }
    }

    private void refreshTopology() {
        if (!retries.tryAttempt()) {
            throw unavailable(null); // the budget was spent: fail at once, but try now and then
        }
        RespReply reply = askCluster(CLUSTER_SLOTS);
        try {
            slots.update(reply, meta.answeredBy());
        } catch (IllegalArgumentException e) {
            throw new RedisUnavailableException(
                    "Redis " + address + " is not a cluster: " + e.getMessage());
        }
        topologyStale = false;
        java.util.Collection<ClusterNode> masters = slots.masters();
        for (ClusterNode n : slots.known()) {
            if (n.isConnected() && !n.hasInFlight() && !masters.contains(n)) {
                n.drop(); // demoted or gone; it would only answer MOVED
            }
        }
    }

    /** Nodes to ask about the cluster: the masters known, then the seeds. */
    private List<HostAndPort> candidates() {
        List<HostAndPort> c = new ArrayList<>();
        for (ClusterNode n : slots.masters()) {
            c.add(n.address);
        }
        c.addAll(seeds);
        return c;
    }

    private void connect(ClusterNode n) {
        if (n.isConnected()) {
            return;
        }
        if (!retries.tryAttempt()) {
            throw unavailable(null);
        }
        try {
            n.connect(clientConfig);
        } catch (JedisConnectionException e) {
            throw new NodeFailure(n, n + ": " + RedisOutageLog.describe(e), true);
        } catch (JedisDataException e) {
            if (TypedReplyConnection.isLoading(e)) {
                throw new NodeFailure(n, n + " is loading its data", true);
            }
            throw refused(e);
        }
        retries.connected();
    }

    /**
     * After a failure: drops the node's socket and queues what it had in flight to be sent again;
     * then pauses or gives up as the retry budget says.
     */
    private void failed(NodeFailure f) {
        clock.outageWaitBegins();
        failedInCall = true;
        if (f.node != null) {
            if (f.node.wrote) {
                brokenSinceCheckpoint.add(f.node);
            }
            requeue(f.node, f.node.drop());
        }
        topologyStale = true;
        lastFailure = f.getMessage();
        if (f.connectFailed) {
            outages.unreachable(address, lastFailure, policy.budget());
        }
        long pause = retries.afterFailure(f.connectFailed);
        if (pause == RetryBudget.GIVE_UP) {
            outages.gaveUp(address, policy.budget(), lastFailure);
            throw unavailable(f);
        }
        if (pause > 0) {
            try {
                Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisUnavailableException(
                        "interrupted while waiting for Redis " + address + " to come back", e);
            }
        }
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
                addUnsent(c.tx);
            } else {
                sendAgain(c);
            }
        }
    }

    /**
     * Adds a command or transaction to the send list, kept in the order they were issued; one
     * already there stays where it is.
     */
    private void addUnsent(Object o) {
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
        all.sort(Comparator.comparingLong(ClusterConnection::seqOf));
        unsent.clear();
        unsent.addAll(all);
    }

    private static long seqOf(Object o) {
        return o instanceof ClusterTransaction t ? t.seq() : ((ClusterCommand) o).seq;
    }

    /** The budget is spent: every command waiting gets the same answer; sockets start afresh. */
    private void failEverything(RedisUnavailableException e) {
        for (ClusterCommand c : queue) {
            if (!c.done()) {
                c.fail(e);
            }
        }
        for (Object o : unsent) {
            setQueued(o, false);
        }
        unsent.clear();
        for (ClusterNode n : slots.known()) {
            n.drop();
        }
        tx = null;
        lastWatch = null;
        topologyStale = true;
    }

    private RedisUnavailableException unavailable(Throwable cause) {
        return new RedisUnavailableException(
                "Redis "
                        + address
                        + " unreachable (retried for "
                        + RedisOutageLog.seconds(policy.budget())
                        + " s): "
                        + lastFailure,
                cause);
    }

    private RedisUnavailableException refused(JedisDataException e) {
        return new RedisUnavailableException(
                "Redis " + address + " refused the connection: " + e.getMessage(), e);
    }

    private static int millis(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** A node, or the cluster, failed this call: handled by {@link #failed}. */
    private static final class NodeFailure extends RuntimeException {
        final ClusterNode node;
        final boolean connectFailed;

        /**
         * @param node whose socket is to be dropped, or null
         * @param connectFailed whether it means Redis is unreachable (logged, paused with
         *     back-off), rather than a socket that dropped (retried at once the first time)
         */
        NodeFailure(ClusterNode node, String message, boolean connectFailed) {
            super(message, null, false, false);
            this.node = node;
            this.connectFailed = connectFailed;
        }
    }
}
