package org.dragonflymle.connector;

import java.util.HashSet;
import java.util.Set;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.source.reader.SocketHandover;

/**
 * The launcher's side of keeping socket inputs bound across a local reload ({@link
 * SocketHandover}): open the handover around the stop of the old job, then close what the new job
 * does not read. Only a local launcher calls this, in its own process.
 */
public final class HeldSockets {

    private HeldSockets() {}

    /** Socket inputs that close from now on stay bound for the next job. */
    public static void open() {
        SocketHandover.open();
    }

    /** Socket inputs close as ever again. */
    public static void close() {
        SocketHandover.close();
    }

    /** Closes the held sockets that no socket input of {@code running} reads. */
    public static void releaseAllBut(PipelineSpec running) {
        Set<SocketUri> uris = new HashSet<>();
        for (StageSpec input : running.inputs()) {
            String uri = input.uri();
            if (uri != null && (uri.startsWith("ipc:") || uri.startsWith("unix:"))) {
                try {
                    uris.add(SocketUri.parse(uri, Direction.INPUT));
                } catch (IllegalArgumentException e) {
                    // not a socket the job binds (the graph refused it)
                }
            }
        }
        SocketHandover.releaseAllBut(uris);
    }

    /** Closes every held socket (the run ends). */
    public static void releaseAll() {
        SocketHandover.releaseAll();
    }
}
