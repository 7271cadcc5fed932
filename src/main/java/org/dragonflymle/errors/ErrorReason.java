package org.dragonflymle.errors;

/**
 * Why a record went to the error output. The codes are stable: they are the {@code reason} field of
 * error lines and the names of the per-reason counters.
 */
public enum ErrorReason {
    MALFORMED_JSON("malformed_json"),
    INVALID_UTF8("invalid_utf8"),
    TOO_DEEP("too_deep"),
    OVERSIZED("oversized"),
    SCRIPT_ERROR("script_error"),
    UNKNOWN_ROUTE("unknown_route"),
    UNENCODABLE("unencodable");

    private final String code;

    ErrorReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
