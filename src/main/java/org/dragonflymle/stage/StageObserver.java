package org.dragonflymle.stage;

import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.redis.RedisCallObserver;

/**
 * What a stage reports as it runs, for metrics: each rejected event, the time of each {@code loop}
 * call, each Redis call. The engine's implementation is the operator's Flink metrics; a test run
 * counts nothing ({@link #NONE}). Called on the stage's thread; must be cheap.
 */
public interface StageObserver {

    StageObserver NONE =
            new StageObserver() {
                @Override
                public void error(ErrorReason reason, String message) {}

                @Override
                public long loopStart() {
                    return 0;
                }

                @Override
                public void loopEnd(long started) {}

                @Override
                public RedisCallObserver redis() {
                    return RedisCallObserver.NONE;
                }
            };

    /** An event went to the error output for {@code reason}. */
    void error(ErrorReason reason, String message);

    /** A {@code loop} call begins; the value is handed back to {@link #loopEnd}. */
    long loopStart();

    void loopEnd(long started);

    /** Told about every Redis reply the script waited for. */
    RedisCallObserver redis();
}
