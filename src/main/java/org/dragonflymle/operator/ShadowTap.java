package org.dragonflymle.operator;

import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.event.Event;
import org.dragonflymle.shadow.ShadowCapture;
import org.dragonflymle.shadow.ShadowCase;
import org.dragonflymle.stage.StageOutput;

/**
 * The live side of a shadowed analyzer: records what the live version emits for each event on its
 * way to the operator's outputs, and sends the event with that record to the shadow's operator
 * ({@code shadow.ShadowOperator}) on a side output. Only an analyzer with a shadow has one; the
 * others' results go straight to the operator.
 */
final class ShadowTap implements StageOutput {

    private final StageOutput out;
    private final OutputTag<byte[]> cases;
    private final Output<StreamRecord<Event>> output;
    private final ShadowCapture capture = new ShadowCapture();

    ShadowTap(StageOutput out, OutputTag<byte[]> cases, Output<StreamRecord<Event>> output) {
        this.out = out;
        this.cases = cases;
        this.output = output;
    }

    /** The live version starts on an input event. */
    void begin() {
        capture.begin();
    }

    /** The live version is done with {@code event} (immutable, so as the stage got it). */
    void end(Event event) {
        ShadowCase c =
                new ShadowCase(
                        event.kind().ordinal(), event.bytes(), event.fullLength(), capture.end());
        output.collect(cases, new StreamRecord<>(c.encode()));
    }

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        capture.analyzer(tag, json);
        out.toAnalyzer(tag, json);
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        capture.output(tag, json);
        out.toOutput(tag, json);
    }

    @Override
    public void toLog(byte[] json) {
        capture.log(json);
        out.toLog(json);
    }

    @Override
    public void toStats(byte[] json) {
        capture.stats(json);
        out.toStats(json);
    }

    @Override
    public void toErrors(byte[] record) {
        capture.error(record);
        out.toErrors(record);
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        capture.timer(tag, json);
        out.timer(tag, delayMillis, json);
    }
}
