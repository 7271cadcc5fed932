package org.dragonflymle.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Which master a {@link ClusterConnection}'s command goes to: the slot map ({@link ClusterSlots}),
 * read with {@code CLUSTER SLOTS} from the masters known or the seeds, and read again once marked
 * stale (a MOVED, a failure, a slot nobody serves); the slot of a command's first key ({@link
 * CommandKeys}, asking the cluster what it does not know). Questions go over the connection's own
 * socket ({@link ClusterMetaLink}), never inside a script's pipeline. Not thread-safe.
 */
final class ClusterRouter {

    private static final List<byte[]> CLUSTER_SLOTS =
            List.of(CommandWords.of("CLUSTER"), CommandWords.of("SLOTS"));

    private final String address;
    private final List<HostAndPort> seeds;
    private final ClusterOutage outage;
    private final ClusterSlots slots = new ClusterSlots();
    private final CommandKeys keys = new CommandKeys();
    private final ClusterMetaLink meta;
    private final RedisCommandExecutor metaExecutor = this::ask;
    private boolean stale = true;

    ClusterRouter(
            String address,
            List<HostAndPort> seeds,
            JedisClientConfig clientConfig,
            ClusterOutage outage) {
        this.address = address;
        this.seeds = List.copyOf(seeds);
        this.outage = outage;
        this.meta = new ClusterMetaLink(clientConfig);
    }

    ClusterSlots slots() {
        return slots;
    }

    /** Whether the slot map must be read again before the next sending. */
    boolean stale() {
        return stale;
    }

    void markStale() {
        stale = true;
    }

    /**
     * Reads the slot map (one attempt of the call's budget) and drops the sockets of nodes that are
     * no longer masters and have nothing in flight.
     */
    void refresh() {
        outage.attempt();
        RespReply reply = ask(CLUSTER_SLOTS);
        try {
            slots.update(reply, meta.answeredBy());
        } catch (IllegalArgumentException e) {
            throw new RedisUnavailableException(
                    "Redis " + address + " is not a cluster: " + e.getMessage());
        }
        stale = false;
        Collection<ClusterNode> masters = slots.masters();
        for (ClusterNode n : slots.known()) {
            if (n.isConnected() && !n.hasInFlight() && !masters.contains(n)) {
                n.drop(); // demoted or gone; it would only answer MOVED
            }
        }
    }

    /** The master for {@code slot} (keyless: slot 0's); a slot nobody serves is an outage. */
    ClusterNode nodeFor(int slot) {
        ClusterNode n = slot >= 0 ? slots.node(slot) : slots.keyless();
        if (n == null) {
            stale = true;
            throw new ClusterNodeFailure(
                    null, "no master serves slot " + slot + " (the cluster is down)", true);
        }
        return n;
    }

    /** The slot of the command's first key, or {@link ClusterCommand#KEYLESS}. */
    int slotOf(byte[][] args) {
        byte[] key = keys.firstKey(Arrays.asList(args), metaExecutor);
        return key == null ? ClusterCommand.KEYLESS : JedisClusterCRC16.getSlot(key);
    }

    /** COMMAND INFO and friends, on the connection's own socket to any node. */
    private RespReply ask(List<byte[]> command) {
        try {
            return meta.execute(command, candidates());
        } catch (JedisConnectionException e) {
            throw new ClusterNodeFailure(null, RedisOutageLog.describe(e), true);
        } catch (JedisDataException e) {
            throw outage.refused(e);
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

    void close() {
        meta.close();
    }
}
