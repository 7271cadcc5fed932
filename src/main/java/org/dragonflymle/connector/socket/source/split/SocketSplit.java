package org.dragonflymle.connector.socket.source.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a socket input: the right to bind its socket. It has no position (a socket
 * cannot replay), so it holds only the address, which is also its id.
 *
 * @param address {@code ipc://PATH} or {@code unix://PATH}
 */
@Internal
public record SocketSplit(String address) implements SourceSplit {

    @Override
    public String splitId() {
        return address;
    }
}
