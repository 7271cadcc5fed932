package org.dragonflymle.stage;

import java.util.Objects;
import org.dragonflymle.lua.api.ScriptState;

/**
 * What a {@link StageRuntime} is bound to: the parts that differ between the engine and a test run.
 *
 * @param state {@code dragonfly.state}'s store (Flink keyed state, or a map per key), or null for a
 *     stage without {@code key=}, whose scripts get a {@code dragonfly.state} that says so
 * @param counters the counters behind {@code dragonfly.metric}
 * @param output where routed values, error records and timers go
 * @param observer what is told about errors, loop time and Redis calls
 */
public record StageBindings(
        ScriptState state, UserCounters counters, StageOutput output, StageObserver observer) {

    public StageBindings {
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(observer, "observer");
    }
}
