package org.dragonflymle.config;

/**
 * A config.lua the engine refuses to run. The message is complete and meant for the user as is: the
 * file, the entry ({@code analyzers[3] (tag "x")}) and the problem, with a Lua line where there is
 * one. The launcher prints it and exits with status 2.
 */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
