package org.dragonflymle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailLatencyTest {

    private static final String EVE =
            "{\"timestamp\":\"2026-11-23T10:00:00.000000+0000\",\"flow_id\":1234567890123456789,"
                    + "\"event_type\":\"dns\"}";

    private final TailLatency latency =
            new TailLatency(List.of(EVE.getBytes(StandardCharsets.UTF_8)), 10_000, 1, 1);

    @Test
    void eachLineIsTheSampleWithItsSequenceNumberFirst() throws Exception {
        byte[] line = latency.line(4711);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("bench_seq").asInt()).isEqualTo(4711);
        assertThat(json.get("flow_id").asLong()).isEqualTo(1234567890123456789L);
        assertThat(TailLatency.sequenceOf(line, 0, line.length - 1)).isEqualTo(4711);
    }

    @Test
    void linesTheHarnessDidNotWriteHaveNoSequence() {
        byte[] other = EVE.getBytes(StandardCharsets.UTF_8);
        assertThat(TailLatency.sequenceOf(other, 0, other.length)).isEqualTo(-1);
        byte[] bare = "{\"bench_seq\":}".getBytes(StandardCharsets.UTF_8);
        assertThat(TailLatency.sequenceOf(bare, 0, bare.length)).isEqualTo(-1);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = new double[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertThat(TailLatency.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(TailLatency.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(TailLatency.percentile(new double[] {7}, 0.99)).isEqualTo(7);
    }
}
