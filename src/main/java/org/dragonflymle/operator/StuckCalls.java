package org.dragonflymle.operator;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.execution.Environment;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.stage.StageRuntime;

/**
 * The last resort for a call stuck where nothing polls: each Lua state's watchdog, past the budget
 * and {@link ScriptOperator#STUCK_CALL_GRACE}, logs one line, counts the call in the stage's {@link
 * ScriptOperator#STUCK_ACCUMULATOR} accumulator and fails the task (Flink restarts it from the last
 * checkpoint); the engine never hangs on a script.
 */
final class StuckCalls {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StuckCalls.class);

    private StuckCalls() {}

    /** Starts the watchdog of every state of one stage instance. */
    static void watch(
            StageRuntime[] runtimes, StageSpec stage, RuntimeContext context, Environment task) {
        LongCounter stuck = new LongCounter();
        context.addAccumulator(
                ScriptOperator.STUCK_ACCUMULATOR + stage.describe() + " " + stage.scriptName(),
                stuck);
        for (StageRuntime runtime : runtimes) {
            runtime.startWatchdog(
                    ScriptOperator.STUCK_CALL_GRACE,
                    message -> {
                        LOG.error(
                                "{} {}: {}; failing the task so that it restarts from the last"
                                        + " checkpoint",
                                stage.describe(),
                                stage.scriptName(),
                                message);
                        stuck.add(1);
                        task.failExternally(new StuckScriptException(message));
                    });
        }
    }
}
