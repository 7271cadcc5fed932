package org.dragonflymle.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.HistogramStatistics;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void quantilesAreWithinAFactorOfTwoOfTheTruth() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.update(20_000); // 20 µs
        }
        for (int i = 0; i < 10; i++) {
            h.update(3_000_000); // 3 ms
        }

        HistogramStatistics s = h.getStatistics();

        assertThat(h.getCount()).isEqualTo(1000);
        assertThat(s.getQuantile(0.5)).isBetween(10_000.0, 40_000.0);
        assertThat(s.getQuantile(0.999)).isBetween(1_500_000.0, 3_000_000.0);
        assertThat(s.getMin()).isEqualTo(20_000);
        assertThat(s.getMax()).isEqualTo(3_000_000);
        assertThat(s.getMean()).isEqualTo((990 * 20_000.0 + 10 * 3_000_000.0) / 1000);
        assertThat(s.size()).isEqualTo(1000);
        assertThat(s.getValues()).hasSize(2);
    }

    @Test
    void anEmptyHistogramSaysZero() {
        HistogramStatistics s = new LatencyHistogram().getStatistics();

        assertThat(s.getQuantile(0.99)).isZero();
        assertThat(s.getMin()).isZero();
        assertThat(s.getMean()).isZero();
        assertThat(s.getStdDev()).isZero();
    }
}
