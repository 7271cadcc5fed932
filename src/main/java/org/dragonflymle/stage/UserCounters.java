package org.dragonflymle.stage;

/**
 * The counters behind {@code dragonfly.metric(name [, n])}: Flink counters in the engine, a map in
 * a test run. The Lua function in front of them ({@link MetricFunction}) is the same for both.
 */
@FunctionalInterface
public interface UserCounters {

    /** Adds {@code n} (may be negative) to the counter {@code name}, creating it at 0. */
    void add(String name, long n);
}
