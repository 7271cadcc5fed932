package org.dragonflymle.redis;

import java.util.List;

/**
 * Lets the engine answer some commands itself instead of Redis: the Redis-ML {@code ML.*} commands
 * are answered this way because the Redis-ML module no longer loads into a current Redis.
 *
 * <p>Every command a script sends through {@code hiredis} (by {@code command}, {@code command_line}
 * or {@code append_command}) is offered to the interceptor first, on the script's thread. It
 * returns the reply, exactly as Redis would send it (a status {@link RespReply#OK}, a bulk string,
 * an integer, or an error reply for bad syntax), or {@code null} to let Redis answer. Its reply
 * keeps its place among pipelined replies. Interceptors must not throw for bad input: a syntax
 * problem is an {@link RespReply.ErrorReply}, as Redis would answer.
 *
 * <p>This is the per-command path: decline cheaply (look at the first argument) before doing any
 * other work.
 */
@FunctionalInterface
public interface CommandInterceptor {

    /** Declines everything: every command goes to Redis. */
    CommandInterceptor NONE = (args, redis) -> null;

    /**
     * @param args the command name (as the script wrote it, any case) and its arguments; the list
     *     and the arrays are only valid during this call and must not be changed; copy to keep
     * @param redis the same Redis connection, to read or store data the answer depends on
     * @return the reply, or {@code null} to let Redis answer the command
     */
    RespReply intercept(List<byte[]> args, RedisCommandExecutor redis);
}
