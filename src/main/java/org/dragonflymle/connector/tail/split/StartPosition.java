package org.dragonflymle.connector.tail.split;

/**
 * Where a {@code tail://} input starts reading a file that already exists when the job starts for
 * the first time. A restart from a checkpoint or savepoint ignores it and resumes at the saved
 * position; a file that appears later (after a rotation, or created after the start) is always read
 * from its beginning.
 */
public enum StartPosition {
    /** Replays what the file already holds, then follows it. */
    BEGINNING,
    /**
     * Only lines completed after the start, like {@code tail -F -n 0} and the C engine (a line
     * half-written at that moment is read whole once its newline arrives).
     */
    END
}
