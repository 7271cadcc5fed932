package org.dragonflymle.testing;

/** One step of a test's {@code events} list: an event to feed in, or time passing. */
sealed interface TestStep {

    /**
     * An event entering the start stage.
     *
     * @param bytes the line exactly as it would appear in an input file (JSON text, or anything for
     *     a malformed-input test)
     * @param origin how failure messages name it, e.g. {@code events[3]} or {@code dns.jsonl:12}
     */
    record Event(byte[] bytes, String origin) implements TestStep {}

    /** {@code tick(seconds)}: the virtual clock moves on, due timers fire. */
    record Tick(double seconds, String origin) implements TestStep {}
}
