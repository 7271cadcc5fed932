package org.dragonflymle.redis;

/**
 * Told about every reply a script waited for through {@code hiredis} ({@code command}, {@code
 * command_line}, {@code get_reply}): how long the wait took and whether an answer came (an error
 * reply counts as an answer; only Redis staying unreachable does not). Called on the script's
 * thread; must be cheap.
 */
@FunctionalInterface
public interface RedisCallObserver {

    RedisCallObserver NONE = (nanos, answered) -> {};

    void call(long nanos, boolean answered);
}
