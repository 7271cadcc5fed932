package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

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
 * <p><b>Parts.</b> This class keeps the script's order of replies, its transactions and WATCHes,
 * and the checkpoint; {@link ClusterRouter} the slot map, {@link ClusterDispatcher} the sockets,
 * the redirects and the retries after a failure, {@link ClusterSendQueue} what waits to be sent,
 * {@link ClusterOutage} the budget of a call.
 *
 * <p>Not thread-safe: one script thread uses it.
 */
public final class ClusterConnection implements RedisConnection {

    private static final byte[] WATCH = CommandWords.of("WATCH");
    private static final byte[] UNWATCH = CommandWords.of("UNWATCH");
    private static final byte[][] WAIT_ARGS = {
        CommandWords.of("WAIT"),
        CommandWords.of("1"),
        CommandWords.of(Long.toString(REPLICA_WAIT.toMillis()))
    };
    private static final byte[][] MULTI_ARGS = {ClusterTransaction.MULTI};
    private static final byte[][] NO_ARGS = new byte[0][];

    private final String address;
    private final CommandInterceptor interceptor;
    private final ClusterOutage outage;
    private final RedisCommandExecutor direct = this::executeDirect;
    private final ClusterSendQueue unsent = new ClusterSendQueue();
    private final ClusterRouter router;
    private final ClusterDispatcher dispatcher;
    private final ArrayDeque<ClusterCommand> queue = new ArrayDeque<>();

    private ClusterTransaction tx;
    private ClusterCommand lastWatch;
    private boolean closed;

    private ClusterConnection(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        RedisTopology.Cluster cluster = (RedisTopology.Cluster) spec.topology();
        this.address = spec.address();
        List<HostAndPort> seeds = new ArrayList<>();
        for (RedisAddress seed : cluster.seeds()) {
            seeds.add(new HostAndPort(seed.host(), seed.port()));
        }
        JedisClientConfig clientConfig =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(millis(policy.connectTimeout().toMillis()))
                        .socketTimeoutMillis(millis(policy.socketTimeout().toMillis()))
                        .user(spec.user())
                        .password(spec.password())
                        .ssl(spec.tls())
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                        .build();
        this.interceptor = interceptor;
        this.outage = new ClusterOutage(address, policy, outages);
        this.router = new ClusterRouter(address, seeds, clientConfig, outage);
        this.dispatcher = new ClusterDispatcher(address, router, unsent, outage, clientConfig);
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
            c.dispatcher.refreshSlots();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
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
        for (ClusterNode n : router.slots().masters()) {
            if (n.wrote && n.replicas != 0 && n.isConnected()) {
                ClusterCommand w =
                        new ClusterCommand(
                                WAIT_ARGS,
                                unsent.nextSeq(),
                                ClusterCommand.KEYLESS,
                                ClusterCommand.Kind.INTERNAL,
                                null);
                w.target = n;
                unsent.add(w);
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
        for (ClusterNode n : router.slots().known()) {
            n.wrote = false;
        }
        Set<ClusterNode> brokenSinceCheckpoint = dispatcher.brokenSinceCheckpoint();
        if (brokenSinceCheckpoint.isEmpty()) {
            return;
        }
        List<String> lost = new ArrayList<>();
        try {
            dispatcher.refreshSlots();
            Collection<ClusterNode> masters = router.slots().masters();
            for (ClusterNode n : brokenSinceCheckpoint) {
                if (n.replicas == 0) {
                    continue; // nothing could have taken over from it
                }
                if (!masters.contains(n)) {
                    lost.add(n + " was replaced by a replica");
                    continue;
                }
                try {
                    dispatcher.connect(n);
                } catch (ClusterNodeFailure f) {
                    lost.add(n + " is unreachable (" + f.getMessage() + ")");
                } finally {
                    outage.endCall();
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
        outage.useClock(clock);
    }

    @Override
    public void abortWait() {
        dispatcher.abortWait();
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
        for (ClusterNode n : router.slots().known()) {
            n.drop();
        }
        router.close();
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
        if (tx == null && CommandWords.equalsIgnoreCase(name, ClusterTransaction.MULTI)) {
            tx = new ClusterTransaction();
            tx.watch = lastWatch;
            tx.members.add(
                    new ClusterCommand(
                            MULTI_ARGS,
                            unsent.nextSeq(),
                            ClusterCommand.KEYLESS,
                            ClusterCommand.Kind.INTERNAL,
                            tx));
            queue.addLast(ClusterCommand.answered(RespReply.OK));
            return;
        }
        ClusterCommand c =
                new ClusterCommand(
                        copy,
                        unsent.nextSeq(),
                        ClusterCommand.UNRESOLVED,
                        ClusterCommand.Kind.SCRIPT,
                        tx);
        queue.addLast(c);
        if (tx != null) {
            tx.members.add(c);
            if (c.is(ClusterTransaction.EXEC) || c.is(ClusterTransaction.DISCARD)) {
                tx = null;
                lastWatch = null;
            }
            if (c.tx.node == null || c.tx.queued) {
                unsent.add(c.tx); // the first command after MULTI: the transaction goes as a whole
                return;
            }
        } else if (c.is(WATCH)) {
            lastWatch = c;
        } else if (c.is(UNWATCH)
                || c.is(ClusterTransaction.EXEC)
                || c.is(ClusterTransaction.DISCARD)) {
            lastWatch = null;
        }
        unsent.add(c);
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
                        unsent.nextSeq(),
                        ClusterCommand.UNRESOLVED,
                        ClusterCommand.Kind.INTERNAL,
                        null);
        unsent.add(c);
        return await(c);
    }

    /** Waits for {@code c}'s reply; when the budget is spent, every command waiting fails. */
    private RespReply await(ClusterCommand c) {
        try {
            return dispatcher.await(c);
        } catch (RedisUnavailableException e) {
            failEverything(e);
            throw e;
        }
    }

    /** The budget is spent: every command waiting gets the same answer. */
    private void failEverything(RedisUnavailableException e) {
        for (ClusterCommand c : queue) {
            if (!c.done()) {
                c.fail(e);
            }
        }
        tx = null;
        lastWatch = null;
    }

    private static int millis(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
