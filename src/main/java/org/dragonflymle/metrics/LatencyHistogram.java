package org.dragonflymle.metrics;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A histogram of durations in nanoseconds with one bucket per power of two: recording is an
 * increment and a leading-zeros count, no allocation, no window to maintain, so it can sit on the
 * per-event path. Quantiles are the geometric middle of their bucket – within a factor of √2, which
 * is what an operator needs to tell 20 µs from 2 ms.
 *
 * <p>Cumulative since the operator opened. Recorded by the task thread; read by metric reporters
 * and the stats line without locking (a reader may see a value a moment old).
 */
public final class LatencyHistogram implements Histogram {

    private static final int BUCKETS = 64;

    private final long[] buckets = new long[BUCKETS];
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    @Override
    public void update(long nanos) {
        long v = Math.max(0, nanos);
        buckets[BUCKETS - 1 - Long.numberOfLeadingZeros(v | 1)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    @Override
    public long getCount() {
        return count;
    }

    @Override
    public HistogramStatistics getStatistics() {
        return new Snapshot(buckets.clone(), count, sum, count == 0 ? 0 : min, max);
    }

    private static final class Snapshot extends HistogramStatistics {
        private final long[] buckets;
        private final long count;
        private final long sum;
        private final long min;
        private final long max;

        Snapshot(long[] buckets, long count, long sum, long min, long max) {
            this.buckets = buckets;
            this.count = count;
            this.sum = sum;
            this.min = min;
            this.max = max;
        }

        @Override
        public double getQuantile(double quantile) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile * count);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += buckets[i];
                if (seen >= Math.max(1, rank)) {
                    double middle = Math.pow(2, i) * Math.sqrt(2);
                    return Math.max(min, Math.min(max, middle));
                }
            }
            return max;
        }

        /** Bucket middles, one per recorded value would be too many: one per non-empty bucket. */
        @Override
        public long[] getValues() {
            int n = 0;
            for (long b : buckets) {
                n += b > 0 ? 1 : 0;
            }
            long[] values = new long[n];
            int j = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (buckets[i] > 0) {
                    values[j++] = (long) (Math.pow(2, i) * Math.sqrt(2));
                }
            }
            return values;
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, count);
        }

        @Override
        public double getMean() {
            return count == 0 ? 0 : (double) sum / count;
        }

        @Override
        public double getStdDev() {
            if (count == 0) {
                return 0;
            }
            double mean = getMean();
            double var = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (buckets[i] > 0) {
                    double d = Math.pow(2, i) * Math.sqrt(2) - mean;
                    var += buckets[i] * d * d;
                }
            }
            return Math.sqrt(var / count);
        }

        @Override
        public long getMax() {
            return max;
        }

        @Override
        public long getMin() {
            return min;
        }
    }
}
