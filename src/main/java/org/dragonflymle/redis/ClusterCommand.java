package org.dragonflymle.redis;

/**
 * One command of a {@link ClusterConnection}: the script's (its reply goes to the script, in
 * order), or the connection's own ({@link Kind#INTERNAL}: key lookups, a transaction's {@code
 * MULTI}; {@link Kind#DROPPABLE}: {@code ASKING}, a {@code DISCARD}, copies of {@code SCRIPT LOAD}
 * for the other masters, whose replies nobody reads and which are not sent again after a failure).
 *
 * <p>Its arguments are kept so that it can be sent again: after a redirect, or to the replica that
 * took over from a failed master. Every sending gets a new generation number, and a reply read for
 * an older sending is ignored.
 */
final class ClusterCommand {

    enum Kind {
        SCRIPT,
        INTERNAL,
        DROPPABLE
    }

    /** Most redirects one command follows before its MOVED goes to the script as the reply. */
    static final int MAX_REDIRECTS = 16;

    /** {@link #slot} before the command's key was looked up. */
    static final int UNRESOLVED = -2;

    /** {@link #slot} of a command without keys. */
    static final int KEYLESS = -1;

    final byte[][] args;
    final long seq;
    final Kind kind;
    final ClusterTransaction tx;

    /** The slot of the first key, {@link #KEYLESS}, or {@link #UNRESOLVED}. */
    int slot;

    /** The node it was last sent to, or null when it waits to be (re)sent. */
    ClusterNode sentTo;

    /** The node an ASK redirect named: the next sending goes there, after ASKING. */
    ClusterNode askTo;

    /** The one node it is for (a checkpoint's WAIT), whatever its slot; null: routed by slot. */
    ClusterNode target;

    int generation;
    int redirects;

    /** Whether it is in its connection's list of commands waiting to be sent. */
    boolean queued;

    private RespReply reply;
    private RedisUnavailableException failure;

    /**
     * @param seq the order in which the script (or the connection) issued it: commands waiting to
     *     be sent again go in this order
     */
    ClusterCommand(byte[][] args, long seq, int slot, Kind kind, ClusterTransaction tx) {
        this.args = args;
        this.seq = seq;
        this.slot = slot;
        this.kind = kind;
        this.tx = tx;
    }

    /** A command answered without Redis (by the interceptor, or MULTI's OK). */
    static ClusterCommand answered(RespReply reply) {
        ClusterCommand c = new ClusterCommand(null, 0, KEYLESS, Kind.SCRIPT, null);
        c.reply = reply;
        return c;
    }

    /** Whether it is {@code word} (a command name), ignoring case. */
    boolean is(byte[] word) {
        return args != null && CommandWords.equalsIgnoreCase(args[0], word);
    }

    boolean done() {
        return reply != null || failure != null;
    }

    void answer(RespReply r) {
        reply = r;
    }

    void fail(RedisUnavailableException e) {
        failure = e;
    }

    /** The reply, or the failure thrown again (a new exception, so each caller's stack shows). */
    RespReply reply() {
        if (failure != null) {
            throw new RedisUnavailableException(failure.getMessage(), failure);
        }
        return reply;
    }

    /** For error messages: the command name. */
    String name() {
        return args == null || args.length == 0
                ? "?"
                : new String(args[0], java.nio.charset.StandardCharsets.UTF_8);
    }
}
