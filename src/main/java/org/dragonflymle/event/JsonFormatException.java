package org.dragonflymle.event;

/**
 * An input line that is not the one well-formed JSON value the engine accepts. Carries a
 * machine-readable reason (used as the error output's {@code reason} and metric name) and the byte
 * offset where the problem was found.
 */
public final class JsonFormatException extends Exception {

    /** Why a line was rejected; the names are stable, they appear in the error output. */
    public enum Reason {
        MALFORMED_JSON("malformed_json"),
        INVALID_UTF8("invalid_utf8"),
        TOO_DEEP("too_deep");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final int offset;

    public JsonFormatException(Reason reason, String message, int offset) {
        super(message + " at byte " + offset, null, false, false);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
