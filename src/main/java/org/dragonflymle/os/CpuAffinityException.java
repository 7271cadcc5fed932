package org.dragonflymle.os;

/** A CPU affinity could not be changed; the message says which thread, which CPUs and why. */
public class CpuAffinityException extends Exception {

    private static final long serialVersionUID = 1L;

    public CpuAffinityException(String message) {
        super(message);
    }

    public CpuAffinityException(String message, Throwable cause) {
        super(message, cause);
    }
}
