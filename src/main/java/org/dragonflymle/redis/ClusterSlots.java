package org.dragonflymle.redis;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * Which master serves each of a Redis Cluster's 16,384 slots, as {@code CLUSTER SLOTS} last said
 * (and MOVED redirects corrected since). Replicas are not kept: every command goes to a master.
 * Nodes are kept by address across refreshes, with their sockets. Not thread-safe.
 */
final class ClusterSlots {

    static final int SLOTS = 16384;

    private final ClusterNode[] bySlot = new ClusterNode[SLOTS];
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();

    /** The master serving {@code slot}, or null when no master does (as far as is known). */
    ClusterNode node(int slot) {
        return bySlot[slot];
    }

    /**
     * Where keyless commands go: the master serving slot 0, else the first master known, else null.
     */
    ClusterNode keyless() {
        if (bySlot[0] != null) {
            return bySlot[0];
        }
        for (ClusterNode n : bySlot) {
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    /** The node at {@code host:port}, known from now on. */
    ClusterNode node(HostAndPort address) {
        return nodes.computeIfAbsent(address.toString(), a -> new ClusterNode(address));
    }

    /** After a MOVED: {@code slot} is served by {@code node}. */
    void assign(int slot, ClusterNode node) {
        bySlot[slot] = node;
    }

    /** Every master that serves a slot now, in slot order. */
    Collection<ClusterNode> masters() {
        Set<ClusterNode> masters = new LinkedHashSet<>();
        for (ClusterNode n : bySlot) {
            if (n != null) {
                masters.add(n);
            }
        }
        return masters;
    }

    /** Every node ever known, masters or not (a live view). */
    Collection<ClusterNode> known() {
        return nodes.values();
    }

    /**
     * Replaces the map with a {@code CLUSTER SLOTS} reply got from {@code asked} (whose address
     * stands for an empty host in the reply, as Redis writes it for the node it answers from).
     *
     * @throws IllegalArgumentException when the reply is not a slot map
     */
    void update(RespReply clusterSlots, HostAndPort asked) {
        if (!(clusterSlots instanceof RespReply.ArrayReply ranges)) {
            throw new IllegalArgumentException("CLUSTER SLOTS answered " + clusterSlots);
        }
        ClusterNode[] next = new ClusterNode[SLOTS];
        for (RespReply r : ranges.elements()) {
            List<RespReply> range = elements(r);
            if (range.size() < 3) {
                throw new IllegalArgumentException("CLUSTER SLOTS range without a master: " + r);
            }
            int from = (int) integer(range.get(0));
            int to = (int) integer(range.get(1));
            List<RespReply> master = elements(range.get(2));
            String host = text(master.get(0));
            int port = (int) integer(master.get(1));
            if (host.isEmpty() || host.equals("?")) {
                host = asked.getHost();
            }
            if (from < 0 || to >= SLOTS || from > to) {
                throw new IllegalArgumentException("CLUSTER SLOTS range " + from + "-" + to);
            }
            ClusterNode n = node(new HostAndPort(host, port));
            n.replicas = range.size() - 3;
            for (int s = from; s <= to; s++) {
                next[s] = n;
            }
        }
        System.arraycopy(next, 0, bySlot, 0, SLOTS);
    }

    private static List<RespReply> elements(RespReply r) {
        if (r instanceof RespReply.ArrayReply a) {
            return a.elements();
        }
        throw new IllegalArgumentException("CLUSTER SLOTS: expected an array, got " + r);
    }

    private static long integer(RespReply r) {
        if (r instanceof RespReply.IntegerReply i) {
            return i.value();
        }
        throw new IllegalArgumentException("CLUSTER SLOTS: expected an integer, got " + r);
    }

    private static String text(RespReply r) {
        if (r instanceof RespReply.BulkReply b) {
            return b.text();
        }
        throw new IllegalArgumentException("CLUSTER SLOTS: expected a string, got " + r);
    }
}
