package org.dragonflymle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;
import org.dragonflymle.metrics.StageTallies;
import org.dragonflymle.metrics.Tally;
import org.dragonflymle.testutils.RedisLogCapture;
import org.junit.jupiter.api.Test;

class StageMetricsTest {

    private static OutputTag<Event> tag(String id) {
        return new OutputTag<>(id, EventTypeInfo.INSTANCE);
    }

    private final OutputTag<Event> toEvents = tag("output:events");
    private final OutputTag<Event> toSink = tag("analyzer:sink");
    private final OutputTag<Event> log = tag("output:__log");
    private final RouteTags routes =
            new RouteTags(
                    Map.of("sink", toSink),
                    Map.of("events", toEvents, "errors", tag("output:errors")),
                    tag("output:errors"),
                    log,
                    tag("output:__stats"));
    private final StageSpec stage =
            new StageSpec(
                    StageKind.ANALYZER,
                    2,
                    "triage",
                    null,
                    Path.of("/root/analyzer/triage.lua"),
                    "sink",
                    "events",
                    null,
                    1,
                    Set.of("sink"),
                    Set.of("events"),
                    false);

    @Test
    void countsEventsDropsErrorsAndEveryDestination() throws Exception {
        StageMetrics m = StageMetrics.unregistered(stage, routes);

        m.eventStart(99); // routed twice
        m.emitted(toEvents);
        m.emitted(toSink);
        m.eventEnd();
        m.eventStart(9); // routed nothing: a drop
        m.eventEnd();
        m.eventStart(9); // failed: an error, not a drop
        m.error(ErrorReason.SCRIPT_ERROR, "boom");
        m.eventEnd();
        m.eventStart(9); // only logged: not a drop
        m.emitted(log);
        m.eventEnd();

        JsonNode line = new ObjectMapper().readTree(m.statsLine(0));
        assertThat(line.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(line.get("stats").asText()).isEqualTo("stage");
        assertThat(line.get("stage").asText()).isEqualTo("analyzer");
        assertThat(line.get("tag").asText()).isEqualTo("triage");
        assertThat(line.get("script").asText()).isEqualTo("analyzer/triage.lua");
        assertThat(line.get("events_in").asLong()).isEqualTo(4);
        assertThat(line.get("events_out").asLong()).isEqualTo(3);
        assertThat(line.get("drops").asLong()).isEqualTo(1);
        assertThat(line.get("errors").toString()).isEqualTo("{\"script_error\":1}");
        assertThat(line.at("/routed_to/output/events").asLong()).isEqualTo(1);
        assertThat(line.at("/routed_to/output/errors").asLong()).isEqualTo(1);
        assertThat(line.at("/routed_to/output/__log").asLong()).isEqualTo(1);
        assertThat(line.at("/routed_to/analyzer/sink").asLong()).isEqualTo(1);
        assertThat(m.bytesIn.getCount()).isEqualTo(100 + 10 + 10 + 10);
    }

    @Test
    void sampledLoopTimesAndRedisCallsReachTheStatsLine() throws Exception {
        StageMetrics m = StageMetrics.unregistered(stage, routes);
        int timed = 0;
        for (int i = 0; i < 64; i++) {
            long t = m.loopStart();
            if (t != 0) {
                timed++;
            }
            m.loopEnd(t);
        }
        m.redis().call(50_000, true);
        m.redis().call(2_000_000, false);

        JsonNode line = new ObjectMapper().readTree(m.statsLine(0));
        assertThat(timed).isEqualTo(64 / StageMetrics.SAMPLE_EVERY);
        assertThat(line.at("/loop_us/sampled").asLong()).isEqualTo(timed);
        assertThat(line.at("/redis/calls").asLong()).isEqualTo(2);
        assertThat(line.at("/redis/failures").asLong()).isEqualTo(1);
        assertThat(line.at("/redis/latency_us/max").asDouble()).isEqualTo(2000.0);
        assertThat(line.at("/redis/latency_us/p50").asDouble()).isBetween(35.0, 71.0);
    }

    @Test
    void scriptErrorsAreLoggedOncePerProblemNotPerEvent() {
        StageMetrics m = StageMetrics.unregistered(stage, routes);
        try (RedisLogCapture log = RedisLogCapture.of(StageMetrics.class)) {
            m.logError(ErrorReason.SCRIPT_ERROR, "analyzer/triage.lua:3: boom", 1_000);
            for (int i = 0; i < 500; i++) {
                m.logError(ErrorReason.SCRIPT_ERROR, "analyzer/triage.lua:3: boom", 2_000 + i);
            }
            m.logError(ErrorReason.UNKNOWN_ROUTE, "no analyzer \"x\"", 3_000);
            m.logError(ErrorReason.SCRIPT_ERROR, "analyzer/triage.lua:3: bang", 61_000);

            assertThat(log.lines())
                    .containsExactly(
                            "WARN analyzers[2] (tag \"triage\") analyzer/triage.lua: script_error:"
                                    + " analyzer/triage.lua:3: boom (the event is in the error"
                                    + " output; further script_error errors of this stage are"
                                    + " logged at most once a minute)",
                            "WARN analyzers[2] (tag \"triage\") analyzer/triage.lua: unknown_route:"
                                    + " no analyzer \"x\" (the event is in the error output;"
                                    + " further unknown_route errors of this stage are logged at"
                                    + " most once a minute)",
                            "WARN analyzers[2] (tag \"triage\") analyzer/triage.lua: 501 more"
                                    + " script_error errors in the last minute; latest:"
                                    + " analyzer/triage.lua:3: bang");
        }
    }

    @Test
    void talliesAreReadBackPerStageFromAnAccumulatorMap() {
        Map<String, Object> acc = new HashMap<>();
        acc.put("dragonfly.triage.in", 10L);
        acc.put("dragonfly.triage.bytes_in", 1000L);
        acc.put("dragonfly.triage.out", 7L);
        acc.put("dragonfly.triage.drops", 2L);
        acc.put("dragonfly.triage.errors.script_error", 1L);
        acc.put("dragonfly.triage.errors.oversized", 0L);
        acc.put("dragonfly.triage.to_output.events", 7L);
        acc.put("dragonfly.triage2.in", 99L);
        acc.put("other", "x");

        StageTallies.Stage t = StageTallies.read(acc, "triage");

        assertThat(t.in()).isEqualTo(10);
        assertThat(t.bytesIn()).isEqualTo(1000);
        assertThat(t.out()).isEqualTo(7);
        assertThat(t.drops()).isEqualTo(2);
        assertThat(t.errors()).containsExactly(Map.entry("script_error", 1L));
        assertThat(t.errorCount()).isEqualTo(1);
        assertThat(t.toOutput()).containsExactly(Map.entry("events", 7L));
    }

    @Test
    void aTallyIsOneCountForMetricsAndAccumulators() {
        Tally a = new Tally();
        a.inc();
        a.inc(4);
        Tally b = a.clone();
        b.add(10L);
        a.merge(b);

        assertThat(a.getCount()).isEqualTo(20);
        assertThat(a.getLocalValue()).isEqualTo(20L);
    }
}
