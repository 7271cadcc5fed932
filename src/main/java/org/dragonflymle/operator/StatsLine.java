package org.dragonflymle.operator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.metrics.HistogramStatistics;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.metrics.Tally;

/**
 * The engine's stats line, written to the stats output ({@code dragonfly-stats.log}) by every
 * instance of every stage every stats interval (60 s, as the C engine) and once more when a bounded
 * input ends. Counts are cumulative since the instance started, like the C engine's {@code
 * operations} counters, but per stage:
 *
 * <pre>{@code
 * {"time":"2025-01-01T00:01:00Z","stats":"stage","stage":"analyzer","tag":"counter",
 *  "script":"analyzer/event-type-counter.lua","subtask":0,"events_in":1071,"events_out":1071,
 *  "drops":0,"errors":{"script_error":2},"routed_to":{"output":{"events":1071},"analyzer":{}},
 *  "loop_us":{"sampled":66,"mean":14.2,"p50":11.3,"p99":90.5,"max":120.0},
 *  "redis":{"calls":1072,"failures":0,"latency_us":{"mean":35.1,"p50":22.6,"p99":181.0,"max":412.3}}}
 * }</pre>
 */
public final class StatsLine {

    private static final JsonFactory JSON = new JsonFactory();

    private StatsLine() {}

    public static byte[] build(StageMetrics m, long nowMillis) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(nowMillis).toString());
            g.writeStringField("stats", "stage");
            g.writeStringField("stage", m.stage().kind() == StageKind.INPUT ? "input" : "analyzer");
            g.writeStringField("tag", m.stage().tag());
            g.writeStringField("script", m.stage().scriptName());
            g.writeNumberField("subtask", m.subtask());
            g.writeNumberField("events_in", m.in.getCount());
            g.writeNumberField("events_out", m.out.getCount());
            g.writeNumberField("drops", m.drops.getCount());
            g.writeObjectFieldStart("errors");
            for (Map.Entry<org.dragonflymle.errors.ErrorReason, Tally> e : m.errors.entrySet()) {
                if (e.getValue().getCount() > 0) {
                    g.writeNumberField(e.getKey().code(), e.getValue().getCount());
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("routed_to");
            g.writeObjectFieldStart("output");
            for (Map.Entry<String, Tally> e : m.toOutput.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue().getCount());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("analyzer");
            for (Map.Entry<String, Tally> e : m.toAnalyzer.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue().getCount());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeFieldName("loop_us");
            micros(g, m.loopTime.getStatistics(), "sampled", m.loopTime.getCount());
            g.writeObjectFieldStart("redis");
            g.writeNumberField("calls", m.redisCalls.getCount());
            g.writeNumberField("failures", m.redisFailures.getCount());
            g.writeFieldName("latency_us");
            micros(g, m.redisLatency.getStatistics(), null, 0);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void micros(JsonGenerator g, HistogramStatistics s, String countName, long count)
            throws IOException {
        g.writeStartObject();
        if (countName != null) {
            g.writeNumberField(countName, count);
        }
        g.writeNumberField("mean", round(s.getMean()));
        g.writeNumberField("p50", round(s.getQuantile(0.5)));
        g.writeNumberField("p99", round(s.getQuantile(0.99)));
        g.writeNumberField("max", round(s.getMax()));
        g.writeEndObject();
    }

    private static double round(double nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
