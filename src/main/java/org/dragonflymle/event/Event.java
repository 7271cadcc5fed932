package org.dragonflymle.event;

import java.nio.charset.StandardCharsets;

/**
 * What flows between the engine's operators: one JSON value as bytes, immutable.
 *
 * <p>An input line arrives as {@link Kind#LINE} (not yet validated; the input stage checks it).
 * Everything a script routes on is {@link Kind#JSON}: bytes written by {@link LuaJsonWriter}, whose
 * untouched parts are the input's own bytes. A line longer than the configured bound travels as
 * {@link Kind#OVERSIZED}: its first bytes only, with the real length, so the input stage can report
 * it without the engine ever holding the whole line twice.
 *
 * <p>Immutability lets Flink's chained operators pass the same instance on without copying.
 */
public final class Event {

    /**
     * How much of an oversized line an event keeps: enough for the error record to show what it was
     * (the sources cut there, and so does a test run).
     */
    public static final int OVERSIZED_HEAD_BYTES = 4096;

    /** What the bytes are. */
    public enum Kind {
        LINE,
        JSON,
        OVERSIZED;

        private static final Kind[] VALUES = values();

        static Kind of(int ordinal) {
            return VALUES[ordinal];
        }
    }

    private final Kind kind;
    private final byte[] bytes;
    private final int fullLength;

    private Event(Kind kind, byte[] bytes, int fullLength) {
        this.kind = kind;
        this.bytes = bytes;
        this.fullLength = fullLength;
    }

    /** A raw input line (without its line terminator); the array is owned by the event. */
    public static Event line(byte[] bytes) {
        return new Event(Kind.LINE, bytes, bytes.length);
    }

    /** A JSON value known to be well formed; the array is owned by the event. */
    public static Event json(byte[] bytes) {
        return new Event(Kind.JSON, bytes, bytes.length);
    }

    /** The head of a line of {@code fullLength} bytes that exceeded the bound. */
    public static Event oversized(byte[] head, int fullLength) {
        return new Event(Kind.OVERSIZED, head, fullLength);
    }

    static Event of(Kind kind, byte[] bytes, int fullLength) {
        return new Event(kind, bytes, fullLength);
    }

    public Kind kind() {
        return kind;
    }

    /** The bytes; callers must not modify them. */
    public byte[] bytes() {
        return bytes;
    }

    /** The length of the original line; differs from {@code bytes().length} only when oversized. */
    public int fullLength() {
        return fullLength;
    }

    @Override
    public String toString() {
        return kind + ":" + new String(bytes, StandardCharsets.UTF_8);
    }
}
