package org.dragonflymle.redis;

import redis.clients.jedis.HostAndPort;

/**
 * The error replies by which a Redis Cluster node says "not here" or "not now" rather than
 * answering: {@code MOVED slot host:port}, {@code ASK slot host:port}, {@code TRYAGAIN}, {@code
 * CLUSTERDOWN}, {@code LOADING}. Every other error is the command's reply.
 */
final class ClusterErrors {

    private ClusterErrors() {}

    /**
     * Acts on {@code error}, read from {@code node} for {@code c}, if it is one of these.
     *
     * @return false when it is the command's reply
     */
    static boolean handle(
            ClusterDispatcher dispatcher,
            ClusterCommand c,
            ClusterNode node,
            RespReply.ErrorReply error) {
        String m = error.message();
        if (m.startsWith("MOVED ") || m.startsWith("ASK ")) {
            boolean moved = m.charAt(0) == 'M';
            Redirect r = Redirect.parse(m, node.address.getHost());
            if (r == null) {
                return false;
            }
            if (moved) {
                dispatcher.moved(c, node, r.slot, r.to);
            } else if (c.tx != null) {
                return false; // a transaction is not split across a migration: the script sees ASK
            } else {
                dispatcher.ask(c, r.to);
            }
            return true;
        }
        if (m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN") || m.startsWith("LOADING")) {
            dispatcher.retryLater(c, node, m);
            return true;
        }
        return false;
    }

    /** Where a MOVED or ASK sends one slot. */
    record Redirect(int slot, HostAndPort to) {

        /**
         * Parses {@code MOVED 3999 10.0.0.2:6381}; an empty host (Redis's "unknown endpoint") is
         * the host of the node that answered.
         */
        static Redirect parse(String message, String answeringHost) {
            String[] parts = message.split(" ");
            if (parts.length != 3) {
                return null;
            }
            int colon = parts[2].lastIndexOf(':');
            if (colon < 0) {
                return null;
            }
            try {
                int slot = Integer.parseInt(parts[1]);
                int port = Integer.parseInt(parts[2].substring(colon + 1));
                String host = parts[2].substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (slot < 0 || slot >= ClusterSlots.SLOTS) {
                    return null;
                }
                return new Redirect(
                        slot, new HostAndPort(host.isEmpty() ? answeringHost : host, port));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
