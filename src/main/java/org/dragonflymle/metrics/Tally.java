package org.dragonflymle.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;
import org.apache.flink.metrics.Counter;

/**
 * A count that is both a Flink {@link Counter} (metrics, the dashboard, reporters) and an {@link
 * Accumulator} (read by the launcher through the {@code JobClient} for progress and the final
 * summary; summed over parallel instances by Flink). One increment serves both.
 *
 * <p>Incremented by the task thread only; read by Flink's metric and heartbeat threads without
 * locking, which may see a slightly old value and never a torn one on a 64-bit JVM.
 */
public final class Tally implements Counter, SimpleAccumulator<Long> {

    private static final long serialVersionUID = 1L;

    private long count;

    @Override
    public void inc() {
        count++;
    }

    @Override
    public void inc(long n) {
        count += n;
    }

    @Override
    public void dec() {
        count--;
    }

    @Override
    public void dec(long n) {
        count -= n;
    }

    @Override
    public long getCount() {
        return count;
    }

    @Override
    public void add(Long value) {
        count += value;
    }

    @Override
    public Long getLocalValue() {
        return count;
    }

    @Override
    public void resetLocal() {
        count = 0;
    }

    @Override
    public void merge(Accumulator<Long, Long> other) {
        count += other.getLocalValue();
    }

    @Override
    public Tally clone() {
        Tally t = new Tally();
        t.count = count;
        return t;
    }

    @Override
    public String toString() {
        return Long.toString(count);
    }
}
