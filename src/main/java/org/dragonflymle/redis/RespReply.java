package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Redis reply with its RESP type kept: a status line ({@code +OK}) and a bulk string ({@code $2
 * OK}) are different values here, as they are to lua-hiredis, whereas Jedis turns both into {@code
 * byte[]}.
 *
 * <p>RESP2 is the model. Replies of the RESP3 types are mapped onto what the same command returns
 * over RESP2: doubles, big numbers and verbatim strings become bulk strings, booleans integers 1/0,
 * maps and sets flat arrays, the null type {@link #nil()}, blob errors errors. Replies are
 * immutable (a bulk string's bytes are not copied: do not change them).
 */
public sealed interface RespReply {

    /** {@code +OK}. */
    StatusReply OK = new StatusReply("OK");

    /** {@code +PONG}. */
    StatusReply PONG = new StatusReply("PONG");

    /** {@code +QUEUED}, the reply to a command inside MULTI. */
    StatusReply QUEUED = new StatusReply("QUEUED");

    static StatusReply status(String text) {
        return switch (text) {
            case "OK" -> OK;
            case "PONG" -> PONG;
            case "QUEUED" -> QUEUED;
            default -> new StatusReply(text);
        };
    }

    /** An error reply; {@code message} is the whole line, e.g. {@code "ERR unknown command"}. */
    static ErrorReply error(String message) {
        return new ErrorReply(message);
    }

    static IntegerReply integer(long value) {
        return new IntegerReply(value);
    }

    /** A bulk string holding {@code bytes} (not copied). */
    static BulkReply bulk(byte[] bytes) {
        return new BulkReply(bytes);
    }

    /** A bulk string holding the UTF-8 bytes of {@code text}. */
    static BulkReply bulk(String text) {
        return new BulkReply(text.getBytes(StandardCharsets.UTF_8));
    }

    static ArrayReply array(List<RespReply> elements) {
        return new ArrayReply(List.copyOf(elements));
    }

    /** The nil bulk string / nil array ({@code $-1}, {@code *-1}, RESP3 {@code _}). */
    static NilReply nil() {
        return NilReply.INSTANCE;
    }

    /** A status line such as {@code +OK}; compare with {@link #OK} by {@code equals}. */
    record StatusReply(String text) implements RespReply {
        public StatusReply {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An error line such as {@code -ERR wrong number of arguments}, without the dash. */
    record ErrorReply(String message) implements RespReply {
        public ErrorReply {
            Objects.requireNonNull(message, "message");
        }
    }

    /** An integer such as {@code :42}. */
    record IntegerReply(long value) implements RespReply {}

    /** A binary-safe bulk string. Equality compares the bytes. */
    record BulkReply(byte[] bytes) implements RespReply {
        public BulkReply {
            Objects.requireNonNull(bytes, "bytes");
        }

        /** The bytes decoded as UTF-8. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkReply other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BulkReply[" + text() + "]";
        }
    }

    /** An array of replies, possibly nested; elements may be {@link #nil()}. */
    record ArrayReply(List<RespReply> elements) implements RespReply {
        public ArrayReply {
            Objects.requireNonNull(elements, "elements");
        }
    }

    /** The nil reply; there is one instance. */
    final class NilReply implements RespReply {
        private static final NilReply INSTANCE = new NilReply();

        private NilReply() {}

        @Override
        public String toString() {
            return "NilReply";
        }
    }
}
