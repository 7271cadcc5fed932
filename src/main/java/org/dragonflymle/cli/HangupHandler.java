package org.dragonflymle.cli;

import java.io.PrintStream;
import sun.misc.Signal;

/**
 * SIGHUP in local mode. A logrotate {@code postrotate} that sends {@code kill -HUP} (as the C
 * engine's setups do) must not stop the engine, which is what the JVM's default action would do.
 * Nothing needs reopening on it: every file output notices by itself, at its next write-out, that
 * its file was rotated ({@code connector.file.FileLineWriter}), on a cluster as here. Installed by
 * the launcher's main code, in its own JVM, never by task code.
 */
final class HangupHandler {

    private HangupHandler() {}

    /** Installs the handler; says so on {@code terminal} when this JVM cannot handle SIGHUP. */
    static void install(PrintStream terminal) {
        try {
            Signal.handle(
                    new Signal("HUP"),
                    signal ->
                            org.slf4j.LoggerFactory.getLogger(HangupHandler.class)
                                    .info(
                                            "SIGHUP: file outputs follow a rotation by themselves;"
                                                    + " nothing to reopen"));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            terminal.println(
                    "dragonfly-mle: warning: SIGHUP cannot be handled here ("
                            + e.getMessage()
                            + "); it will stop the engine");
        }
    }
}
