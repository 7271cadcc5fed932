package org.dragonflymle.operator;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * The side outputs one stage may emit on, by destination tag: one per analyzer it routes to, one
 * per output, and the engine's error, log and stats outputs. Analyzer and output tags live in
 * separate maps because config.lua allows an analyzer and an output to share a tag.
 */
public record RouteTags(
        Map<String, OutputTag<Event>> analyzers,
        Map<String, OutputTag<Event>> outputs,
        OutputTag<Event> errors,
        OutputTag<Event> log,
        OutputTag<Event> stats)
        implements Serializable {

    /** Tag of the engine's log output ({@code dragonfly.log_event}). */
    public static final String LOG_OUTPUT = "__log";

    /** Tag of the engine's stats output ({@code dragonfly.stats_event}). */
    public static final String STATS_OUTPUT = "__stats";

    public static OutputTag<Event> toAnalyzer(String tag) {
        return new OutputTag<>("analyzer:" + tag, EventTypeInfo.INSTANCE);
    }

    public static OutputTag<Event> toOutput(String tag) {
        return new OutputTag<>("output:" + tag, EventTypeInfo.INSTANCE);
    }
}
