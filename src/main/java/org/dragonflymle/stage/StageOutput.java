package org.dragonflymle.stage;

/**
 * Where a stage's results go, already encoded and already checked against the stage's routes: the
 * operator's side outputs in the engine, the test run's record in {@code dragonfly-mle test}.
 * Called on the thread that runs the stage, during {@code loop} or a timer; the arrays are the
 * receiver's to keep.
 */
public interface StageOutput {

    /** {@code dragonfly.analyze_event}: {@code tag} is one of the stage's analyzer routes. */
    void toAnalyzer(String tag, byte[] json);

    /** {@code dragonfly.output_event}: {@code tag} is an output of config.lua. */
    void toOutput(String tag, byte[] json);

    /** {@code dragonfly.log_event}. */
    void toLog(byte[] json);

    /** {@code dragonfly.stats_event}. */
    void toStats(byte[] json);

    /** One error record (see {@code errors.ErrorRecord}) for the error output. */
    void toErrors(byte[] record);

    /**
     * {@code dragonfly.timer_event}: deliver {@code json} to {@code tag} in {@code delayMillis} (0
     * or more). {@code tag} is an analyzer route of the stage or, for an analyzer, its own tag
     * ({@link StageRuntime#acceptJson} runs it then).
     */
    void timer(String tag, long delayMillis, byte[] json);
}
