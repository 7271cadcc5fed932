package org.dragonflymle.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One script's view of a {@link SharedPipeline}: lua-hiredis semantics for the script (appended
 * commands are answered in order; {@code command} while replies are pending returns the oldest),
 * while its commands travel with those of the stage's other Lua states.
 *
 * <p>A command that changes the connection for whoever uses it next, or holds it while it waits,
 * would leak into other scripts' commands on a shared connection: {@code MULTI}, {@code WATCH},
 * {@code SELECT}, {@code SUBSCRIBE}, the blocking pops, {@code WAIT} and their kind are answered
 * with an error reply naming {@code concurrency}, without being sent.
 *
 * <p>Used by one thread (its script's); {@link #abortWait()} may be called from any.
 */
final class PipelinedConnection implements RedisConnection {

    private static final Set<String> REFUSED =
            Set.of(
                    "MULTI",
                    "EXEC",
                    "DISCARD",
                    "WATCH",
                    "UNWATCH",
                    "SELECT",
                    "SWAPDB",
                    "AUTH",
                    "HELLO",
                    "RESET",
                    "QUIT",
                    "CLIENT",
                    "SUBSCRIBE",
                    "PSUBSCRIBE",
                    "SSUBSCRIBE",
                    "UNSUBSCRIBE",
                    "PUNSUBSCRIBE",
                    "SUNSUBSCRIBE",
                    "MONITOR",
                    "SYNC",
                    "PSYNC",
                    "READONLY",
                    "READWRITE",
                    "ASKING",
                    "BLPOP",
                    "BRPOP",
                    "BRPOPLPUSH",
                    "BLMOVE",
                    "BLMPOP",
                    "BZPOPMIN",
                    "BZPOPMAX",
                    "BZMPOP",
                    "XREAD",
                    "XREADGROUP",
                    "WAIT",
                    "WAITAOF");

    private final SharedPipeline pipeline;
    private final List<List<byte[]>> appended = new ArrayList<>();
    private final ArrayDeque<RespReply> answered = new ArrayDeque<>();
    private boolean closed;

    // guarded by the pipeline's lock
    boolean leading;
    volatile Object waitingOn;

    PipelinedConnection(SharedPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public String address() {
        return pipeline.address();
    }

    @Override
    public RespReply command(List<byte[]> args) {
        append(args);
        return nextReply();
    }

    @Override
    public void append(List<byte[]> args) {
        ensureOpen();
        appended.add(List.copyOf(args));
    }

    @Override
    public RespReply nextReply() {
        ensureOpen();
        if (answered.isEmpty()) {
            if (appended.isEmpty()) {
                throw new IllegalStateException(
                        "no reply pending on " + address() + ": nothing queued");
            }
            sendAppended();
        }
        return answered.pollFirst();
    }

    /** Sends what was appended, as one group; refused commands are answered in place. */
    private void sendAppended() {
        List<List<byte[]>> group = new ArrayList<>(appended);
        appended.clear();
        RespReply[] refusals = new RespReply[group.size()];
        List<List<byte[]>> sent = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            RespReply refusal = refusal(group.get(i).get(0));
            if (refusal == null) {
                sent.add(group.get(i));
            } else {
                refusals[i] = refusal;
            }
        }
        RespReply[] replies = sent.isEmpty() ? new RespReply[0] : pipeline.run(sent, this);
        int next = 0;
        for (RespReply refusal : refusals) {
            answered.addLast(refusal != null ? refusal : replies[next++]);
        }
    }

    /** The error reply of a command a shared connection cannot carry, or null. */
    static RespReply refusal(byte[] name) {
        String upper = new String(name, java.nio.charset.StandardCharsets.ISO_8859_1);
        upper = upper.toUpperCase(java.util.Locale.ROOT);
        if (!REFUSED.contains(upper)) {
            return null;
        }
        return RespReply.error(
                "ERR "
                        + upper
                        + " is not available with concurrency > 1: the stage's Lua states share"
                        + " one Redis connection (set concurrency = 1 for this stage)");
    }

    @Override
    public int pendingReplies() {
        return appended.size() + answered.size();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The shared connection rides out outages without a call's clock (see SharedPipeline). */
    @Override
    public void useClock(CallClock clock) {}

    @Override
    public void abortWait() {
        pipeline.abort(this);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            appended.clear();
            answered.clear();
            pipeline.release();
        }
    }

    @Override
    public void checkpoint() {
        ensureOpen();
        pipeline.checkpoint();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("connection to " + address() + " is closed");
        }
    }
}
