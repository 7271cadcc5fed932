package org.dragonflymle.cli;

import java.io.PrintStream;
import sun.misc.Signal;

/**
 * SIGUSR2 to the local launcher: the same reload as {@code dragonfly-mle reload}, its lines on the
 * engine's terminal (a service's journal). Installed by the launcher's main code in its own JVM,
 * never by task code.
 *
 * <p>HotSpot on Linux uses SIGUSR2 itself to suspend and resume threads unless {@code
 * _JAVA_SR_SIGNUM} names another signal; a SIGUSR2 that reaches such a JVM kills it. {@code
 * bin/dragonfly-mle} sets {@code _JAVA_SR_SIGNUM}; a JVM started without it gets no handler (and a
 * note saying so), so SIGUSR2 is never half-handled.
 */
final class ReloadSignal {

    /** Where HotSpot reads the signal it suspends threads with. */
    static final String SR_SIGNAL_VARIABLE = "_JAVA_SR_SIGNUM";

    private ReloadSignal() {}

    /**
     * Installs the handler when this JVM leaves SIGUSR2 free.
     *
     * @param srSignal the value of {@value #SR_SIGNAL_VARIABLE} in this JVM's environment, or null
     */
    static void install(ReloadRequests requests, String srSignal, PrintStream terminal) {
        if (srSignal == null || srSignal.isBlank() || srSignal.strip().equals("12")) {
            org.slf4j.LoggerFactory.getLogger(ReloadSignal.class)
                    .info(
                            "SIGUSR2 is the JVM's own here ({} not set): reload with"
                                    + " dragonfly-mle reload",
                            SR_SIGNAL_VARIABLE);
            return;
        }
        try {
            Signal.handle(
                    new Signal("USR2"),
                    s -> {
                        terminal.println("dragonfly-mle: SIGUSR2: reloading");
                        requests.submit(new ReloadRequests.Request("SIGUSR2", terminal));
                    });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            terminal.println(
                    "dragonfly-mle: warning: SIGUSR2 cannot be handled here ("
                            + e.getMessage()
                            + "); reload with dragonfly-mle reload");
        }
    }
}
