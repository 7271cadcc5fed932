package org.dragonflymle.testing;

import java.util.List;

/**
 * The outcome of one test, or of a test file that could not be read.
 *
 * @param name the test as reports name it ({@code tests/counter.lua (counts dns)})
 * @param failures one message per difference; empty when the test passed
 * @param millis how long it ran
 */
public record TestResult(String name, List<String> failures, long millis) {
    public boolean passed() {
        return failures.isEmpty();
    }
}
