package org.dragonflymle.operator;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.dragonflymle.stage.UserCounters;

/**
 * The counters behind {@code dragonfly.metric(name [, n])} in the engine: Flink counters of the
 * stage, created on first use in the metric group {@code user}, so they show in Flink's metrics and
 * dashboard.
 */
final class UserMetrics implements UserCounters {

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    UserMetrics(MetricGroup stageGroup) {
        this.group = stageGroup.addGroup("user");
    }

    @Override
    public void add(String name, long n) {
        counters.computeIfAbsent(name, group::counter).inc(n);
    }
}
