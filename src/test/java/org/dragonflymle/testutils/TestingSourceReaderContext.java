package org.dragonflymle.testutils;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A source reader's context outside a cluster, subtask 0 of 1, whose metrics a test can read back
 * ({@link #counter}).
 */
public final class TestingSourceReaderContext implements SourceReaderContext {

    private final MetricListener metrics = new MetricListener();
    private final SourceReaderMetricGroup group =
            InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup());

    /** The value of the counter the reader registered as {@code name}. */
    public long counter(String name) {
        return metrics.getCounter(name).map(Counter::getCount).orElseThrow();
    }

    @Override
    public SourceReaderMetricGroup metricGroup() {
        return group;
    }

    @Override
    public Configuration getConfiguration() {
        return new Configuration();
    }

    @Override
    public String getLocalHostName() {
        return "localhost";
    }

    @Override
    public int getIndexOfSubtask() {
        return 0;
    }

    @Override
    public void sendSplitRequest() {}

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }
}
