package org.dragonflymle.testutils;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition, for tests that start real servers and wait for their state. */
public final class Conditions {

    private static final long POLL_MILLIS = 50;

    private Conditions() {}

    /**
     * Polls {@code condition} every 50 ms until it holds. A {@link RuntimeException} from it counts
     * as "not yet" (a server that is busy or just changed role), unless the time is up.
     *
     * @throws IllegalStateException after {@code timeout}, naming {@code what} and the last error
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "timed out after " + timeout + " waiting for " + what, last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
