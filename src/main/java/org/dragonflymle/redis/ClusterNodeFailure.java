package org.dragonflymle.redis;

/**
 * A node, or the cluster, failed one call of a {@link ClusterConnection}: the connection drops the
 * node's socket, queues what it had in flight to be sent again and pauses or gives up as its {@link
 * ClusterOutage} says. Never leaves the connection.
 */
final class ClusterNodeFailure extends RuntimeException {

    /** Whose socket is to be dropped, or null. */
    final ClusterNode node;

    /**
     * Whether it means Redis is unreachable (logged, paused with back-off), rather than a socket
     * that dropped (retried at once the first time).
     */
    final boolean connectFailed;

    ClusterNodeFailure(ClusterNode node, String message, boolean connectFailed) {
        super(message, null, false, false);
        this.node = node;
        this.connectFailed = connectFailed;
    }
}
