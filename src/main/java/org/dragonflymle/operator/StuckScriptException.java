package org.dragonflymle.operator;

/**
 * A call into a script ran past its budget and did not stop when told to: it is stuck in code that
 * never polls the budget. The task is failed with it, so Flink restarts the task from the last
 * checkpoint instead of the job hanging.
 */
final class StuckScriptException extends RuntimeException {
    StuckScriptException(String message) {
        super(message);
    }
}
