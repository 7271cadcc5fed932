package org.dragonflymle.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * A MULTI ... EXEC of a {@link ClusterConnection}: every command of it goes to one node, chosen
 * when it is first needed (the node of its first keyed command, else the one keyless commands go
 * to), and the whole transaction is sent again, from its MULTI, if that node fails or its slot
 * moves before EXEC's reply was read.
 */
final class ClusterTransaction {

    static final byte[] MULTI = CommandWords.of("MULTI");
    static final byte[] EXEC = CommandWords.of("EXEC");
    static final byte[] DISCARD = CommandWords.of("DISCARD");

    /** The connection's own MULTI first, then the script's commands, EXEC or DISCARD last. */
    final List<ClusterCommand> members = new ArrayList<>();

    /** The node it runs on, or null when not yet chosen or to be chosen again. */
    ClusterNode node;

    /** The slot of its first keyed command, or -1. */
    int slot = -1;

    /** The WATCH issued before its MULTI, if any: the transaction must run where it ran. */
    ClusterCommand watch;

    /** Whether it is in the connection's list of what waits to be sent (from its MULTI). */
    boolean queued;

    /** The order of its MULTI among the connection's commands. */
    long seq() {
        return members.get(0).seq;
    }

    /** Whether its EXEC or DISCARD was issued. */
    boolean ended() {
        ClusterCommand last = members.get(members.size() - 1);
        return members.size() > 1 && (last.is(EXEC) || last.is(DISCARD));
    }

    /** Whether any member still waits for a reply (else nothing is left to resend). */
    boolean pending() {
        for (ClusterCommand c : members) {
            if (!c.done()) {
                return true;
            }
        }
        return false;
    }
}
