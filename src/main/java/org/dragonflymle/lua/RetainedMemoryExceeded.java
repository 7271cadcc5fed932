package org.dragonflymle.lua;

/**
 * A script instance keeps more across calls than {@code limits.max_retained_mb} allows. Not one
 * event's fault and not cured by a restart (the script would fill up again): the job stops with
 * this message, which names the script, the estimate and the limit.
 *
 * <p>An {@link Error}, as the call budget's abort: neither a script's {@code pcall} nor the script
 * host of a stage chained upstream (whose call this one ran inside) takes it for an error of its
 * own event.
 */
public final class RetainedMemoryExceeded extends Error {

    private static final long serialVersionUID = 1L;

    private volatile boolean stopRequested;

    public RetainedMemoryExceeded(String message) {
        super(message, null, false, false);
    }

    /**
     * Whether this is the first request to stop the job for it: the stage whose script it is asks;
     * the stages it then passes through on its way out of the task (chained upstream) do not.
     */
    public boolean firstStopRequest() {
        boolean first = !stopRequested;
        stopRequested = true;
        return first;
    }
}
