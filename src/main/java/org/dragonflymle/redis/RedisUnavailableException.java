package org.dragonflymle.redis;

/**
 * Redis could not be reached within the {@link ReconnectPolicy#budget() retry budget}, or refused
 * the connection handshake (wrong password, no such database). The message names the address and
 * the cause, never the password; {@code hiredis} hands it to the script as {@code nil, message}.
 */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message) {
        super(message);
    }

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
