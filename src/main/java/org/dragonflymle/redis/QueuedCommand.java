package org.dragonflymle.redis;

/**
 * A command queued on a {@link ReconnectingConnection}: still to be answered by Redis (its
 * arguments kept so it can be sent again after a reconnect), or already answered by the interceptor
 * or read early, or failed because Redis stayed away.
 */
final class QueuedCommand {

    private final byte[][] command;
    private RespReply answer;
    private RedisUnavailableException failure;

    private QueuedCommand(byte[][] command, RespReply answer) {
        this.command = command;
        this.answer = answer;
    }

    static QueuedCommand forRedis(byte[][] command) {
        return new QueuedCommand(command, null);
    }

    static QueuedCommand answered(RespReply answer) {
        return new QueuedCommand(null, answer);
    }

    boolean awaitingRedis() {
        return answer == null && failure == null;
    }

    /** The arguments to send; only for a command {@link #awaitingRedis()}. */
    byte[][] command() {
        return command;
    }

    void answer(RespReply reply) {
        answer = reply;
    }

    void fail(RedisUnavailableException e) {
        failure = e;
    }

    /** The reply, or the failure thrown again (a new exception, so each caller's stack shows). */
    RespReply reply() {
        if (failure != null) {
            throw new RedisUnavailableException(failure.getMessage(), failure);
        }
        return answer;
    }
}
