package org.dragonflymle.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One Redis server's TCP address: a Cluster seed node or a Sentinel.
 *
 * @param host a host name or an address (an IPv6 address without brackets)
 * @param port 1..65535
 */
public record RedisAddress(String host, int port) implements Serializable {

    public RedisAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** host:port, with an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
