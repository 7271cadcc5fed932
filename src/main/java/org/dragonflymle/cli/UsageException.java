package org.dragonflymle.cli;

/** A command line the launcher cannot run; printed with the usage text, exit status 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
