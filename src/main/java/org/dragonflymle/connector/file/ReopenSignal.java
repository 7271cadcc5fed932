package org.dragonflymle.connector.file;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP makes every open {@code file://} output reopen its path, as the C engine does for
 * logrotate ({@code postrotate kill -HUP ...}): after the rename, lines go to a new file under the
 * old name. The handler only counts signals; each writer compares the count with the one it opened
 * its file under, at its next write, flush or checkpoint, on its own task thread.
 *
 * <p>This is the one piece of static mutable state in the connectors, because a signal is: there is
 * one handler per process. Installing it replaces the JVM's default for SIGHUP, which would shut
 * the engine down (and Flink's logging handler on a TaskManager, which passes it on to that
 * default). Not available when the JVM runs with {@code -Xrs}; then outputs are not reopened, which
 * is logged once.
 */
public final class ReopenSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReopenSignal.class);
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static boolean installed;
    private static boolean failed;

    private ReopenSignal() {}

    /** Installs the handler once per JVM; whether SIGHUP is handled. */
    public static synchronized boolean install() {
        if (installed || failed) {
            return installed;
        }
        try {
            Signal.handle(
                    new Signal("HUP"),
                    signal -> {
                        RECEIVED.incrementAndGet();
                        LOG.info("SIGHUP: reopening output files at their next write");
                    });
            installed = true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            failed = true;
            LOG.warn(
                    "cannot handle SIGHUP ({}); output files will not be reopened on it",
                    e.toString());
        }
        return installed;
    }

    /** How many SIGHUPs this JVM has received. */
    public static long received() {
        return RECEIVED.get();
    }
}
