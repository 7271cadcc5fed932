package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reload requests waiting for the launcher's main thread, which alone stops and starts jobs: the
 * control socket's thread and the SIGUSR2 handler put requests here; {@link JobWatch} takes them
 * between two polls of the running job. Thread-safe.
 */
final class ReloadRequests {

    /**
     * One request.
     *
     * @param from who asked, for the terminal ({@code dragonfly-mle reload}, {@code SIGUSR2})
     * @param answer where the reload's lines go (the requester's terminal)
     * @param status completed with the reload's exit status: 0 done (or nothing to do), 2 refused
     *     (the running job goes on), 1 failed
     * @param promote the tag of the analyzer whose shadow becomes its live version ({@code reload
     *     --promote TAG}), or null
     */
    record Request(
            String from, PrintStream answer, CompletableFuture<Integer> status, String promote) {

        Request(String from, PrintStream answer) {
            this(from, answer, new CompletableFuture<>(), null);
        }

        Request(String from, PrintStream answer, String promote) {
            this(from, answer, new CompletableFuture<>(), promote);
        }
    }

    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private volatile CompletableFuture<Void> arrived = new CompletableFuture<>();
    private volatile String closedBecause;

    /** Queues {@code r}; once the run is ending, answers it at once with status 1. */
    void submit(Request r) {
        String closed = closedBecause;
        if (closed != null) {
            r.answer().println("dragonfly-mle: reload: " + closed);
            r.status().complete(1);
            return;
        }
        queue.add(r);
        arrived.complete(null);
    }

    /** Completes when a request waits (it may complete early; {@link #poll()} then gives null). */
    CompletableFuture<Void> arrival() {
        if (queue.isEmpty() && arrived.isDone()) {
            arrived = new CompletableFuture<>();
            if (!queue.isEmpty()) {
                arrived.complete(null);
            }
        }
        return arrived;
    }

    /** The oldest waiting request, or null. */
    Request poll() {
        return queue.poll();
    }

    /** Refuses every waiting and later request with {@code why} (the run is stopping). */
    void close(String why) {
        closedBecause = why;
        Request r;
        while ((r = queue.poll()) != null) {
            r.answer().println("dragonfly-mle: reload: " + why);
            r.status().complete(1);
        }
    }
}
