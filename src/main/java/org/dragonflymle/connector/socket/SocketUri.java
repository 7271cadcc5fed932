package org.dragonflymle.connector.socket;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.connector.socket.SocketOptions.Overflow;

/**
 * An {@code ipc://} or {@code unix://} address with its options, as the socket connectors use it.
 *
 * <p>The config loader keeps everything after {@code scheme://} as the path
 * (docs/connectors/sockets.md); the text from the first {@code ?} on is split off here as {@code
 * name=value&...} options ({@link SocketOptions}). Inputs accept the buffer options, outputs none.
 *
 * @param kind datagram ({@code ipc://}) or stream ({@code unix://})
 * @param path the absolute socket path
 * @param bufferEvents {@link SocketOptions#BUFFER_EVENTS}
 * @param bufferBytes {@link SocketOptions#BUFFER_BYTES}
 * @param overflow {@link SocketOptions#OVERFLOW}
 */
public record SocketUri(
        Kind kind, String path, int bufferEvents, long bufferBytes, Overflow overflow)
        implements Serializable {

    /** The two socket types, by URI scheme. */
    public enum Kind {
        /** {@code ipc://}: a Unix datagram socket, one or more lines per datagram. */
        DATAGRAM("ipc"),
        /** {@code unix://}: a Unix stream socket, lines on each connection. */
        STREAM("unix");

        private final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }

        public String scheme() {
            return scheme;
        }
    }

    private static final Set<String> INPUT_OPTIONS =
            Set.of(
                    SocketOptions.BUFFER_EVENTS.key(),
                    SocketOptions.BUFFER_BYTES.key(),
                    SocketOptions.OVERFLOW.key());

    public SocketUri {
        if (bufferEvents < 1) {
            throw new IllegalArgumentException(
                    SocketOptions.BUFFER_EVENTS.key() + " must be at least 1");
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException(
                    SocketOptions.BUFFER_BYTES.key() + " must be at least 1 byte");
        }
    }

    /**
     * Parses {@code ipc://PATH[?options]} or {@code unix://PATH[?options]}; a relative path is
     * taken against the working directory (the config loader has already resolved config.lua's
     * relative paths).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static SocketUri parse(String uri, Direction direction) {
        int sep = uri.indexOf("://");
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (sep > 0 && uri.substring(0, sep).equalsIgnoreCase(k.scheme)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("not an ipc:// or unix:// address");
        }
        String rest = uri.substring(sep + 3);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        if (path.isEmpty()) {
            throw new IllegalArgumentException(kind.scheme + ":// needs a socket path");
        }
        path = Path.of(path).toAbsolutePath().normalize().toString();
        if (path.getBytes(StandardCharsets.UTF_8).length > EndpointUri.MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException(
                    "socket path "
                            + path
                            + " is longer than "
                            + EndpointUri.MAX_SOCKET_PATH_BYTES
                            + " bytes, the limit for Unix sockets");
        }
        Configuration options = Configuration.fromMap(options(q < 0 ? "" : rest.substring(q + 1)));
        if (direction == Direction.OUTPUT && !options.keySet().isEmpty()) {
            throw new IllegalArgumentException(
                    kind.scheme + ":// outputs take no options, found " + options.keySet());
        }
        for (String name : options.keySet()) {
            if (!INPUT_OPTIONS.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown option \""
                                + name
                                + "\" (options: buffer=EVENTS, buffer_bytes=SIZE,"
                                + " overflow=drop|block)");
            }
        }
        return new SocketUri(
                kind,
                path,
                options.get(SocketOptions.BUFFER_EVENTS),
                options.get(SocketOptions.BUFFER_BYTES).getBytes(),
                options.get(SocketOptions.OVERFLOW));
    }

    private static Map<String, String> options(String query) {
        Map<String, String> map = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return map;
        }
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "options must be name=value, found \"" + param + "\"");
            }
            if (map.put(param.substring(0, eq), param.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(
                        "option " + param.substring(0, eq) + " is repeated");
            }
        }
        return map;
    }

    /** {@code scheme://path}, for log lines and error messages. */
    @Override
    public String toString() {
        return kind.scheme + "://" + path;
    }
}
