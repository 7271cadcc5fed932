package org.dragonflymle.redis;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * A Jedis connection that answers with {@link RespReply} instead of Jedis's untyped objects.
 *
 * <p>Jedis still opens the socket (TLS included) and performs AUTH and SELECT in its constructor,
 * with its own reply reading; only after that handshake does {@link #protocolRead} switch to {@link
 * RespReader}. Requests are written by {@link #write} straight into a buffered stream over the same
 * socket: Jedis's {@code CommandArguments} would cost a list and a wrapper per argument on every
 * command, and this is the per-event path. Jedis's own output buffer is empty after the handshake,
 * so the two never interleave.
 *
 * <p>Every failure of the socket is a {@link JedisConnectionException}; the connection is then
 * unusable and must be {@link #close closed}. Not thread-safe.
 */
final class TypedReplyConnection extends Connection {

    private static final List<byte[]> PING = List.of("PING".getBytes(StandardCharsets.US_ASCII));

    private final RespReader reader;
    private final RedisOutputStream out;
    // No initializer: the field must stay false while the super constructor runs the handshake.
    private boolean typed;

    /** The socket, for {@link #closeSocket} from another thread. */
    private final Socket socket;

    private TypedReplyConnection(CapturingSocketFactory sockets, JedisClientConfig config) {
        super(sockets, config);
        this.socket = sockets.socket;
        this.reader = new RespReader();
        try {
            this.out = new RedisOutputStream(sockets.socket.getOutputStream());
        } catch (IOException e) {
            disconnect();
            throw new JedisConnectionException("Cannot write to " + sockets, e);
        }
        this.typed = true;
    }

    /**
     * Connects and authenticates.
     *
     * @throws JedisConnectionException when the server cannot be reached
     * @throws redis.clients.jedis.exceptions.JedisDataException when AUTH or SELECT is refused
     */
    static TypedReplyConnection open(HostAndPort address, JedisClientConfig config) {
        DefaultJedisSocketFactory tcp = new DefaultJedisSocketFactory(address, config);
        return new TypedReplyConnection(
                new CapturingSocketFactory(tcp::createSocket, address.toString()), config);
    }

    /**
     * Connects to Redis's Unix socket and authenticates.
     *
     * @throws JedisConnectionException when nothing listens on {@code path}
     */
    static TypedReplyConnection openUnix(Path path, JedisClientConfig config) {
        SocketSupplier unix =
                () -> {
                    try {
                        Socket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
                        socket.setSoTimeout(config.getSocketTimeoutMillis());
                        return socket;
                    } catch (IOException e) {
                        throw new JedisConnectionException("Cannot connect to " + path, e);
                    }
                };
        return new TypedReplyConnection(new CapturingSocketFactory(unix, path.toString()), config);
    }

    /** Buffers one command; nothing is sent until {@link #flushRequests()} or the buffer fills. */
    void write(List<byte[]> args) {
        try {
            out.write((byte) '*');
            out.writeIntCrLf(args.size());
            for (int i = 0, n = args.size(); i < n; i++) {
                byte[] arg = args.get(i);
                out.write((byte) '$');
                out.writeIntCrLf(arg.length);
                out.write(arg);
                out.writeCrLf();
            }
        } catch (IOException e) {
            setBroken();
            throw new JedisConnectionException(e);
        }
    }

    /** Sends what {@link #write} buffered. */
    void flushRequests() {
        try {
            out.flush();
        } catch (IOException e) {
            setBroken();
            throw new JedisConnectionException(e);
        }
    }

    /** Reads the next reply; a Redis error is an {@link RespReply.ErrorReply}, not an exception. */
    RespReply readReply() {
        return (RespReply) readProtocolWithCheckingBroken();
    }

    @Override
    protected Object protocolRead(RedisInputStream is) {
        if (!typed) {
            return super.protocolRead(is);
        }
        return reader.read(is);
    }

    /**
     * A restarted Redis accepts connections while it still reads its data back and answers every
     * command (AUTH and SELECT excepted) with a LOADING error until done. It is not back yet: one
     * PING on each new connection finds out, so the call waits as for any outage instead of handing
     * the script an error reply for a command Redis never ran.
     *
     * @throws JedisDataException with the LOADING message while Redis is loading
     */
    void awaitNotLoading() {
        write(PING);
        flushRequests();
        if (readReply() instanceof RespReply.ErrorReply error
                && error.message().startsWith("LOADING")) {
            throw new JedisDataException(error.message());
        }
    }

    /** Whether Jedis's handshake met a Redis that is still loading its data. */
    static boolean isLoading(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("LOADING");
    }

    /**
     * Closes the socket from another thread, so that a read blocked on it fails at once; the
     * connection is then broken. Never throws.
     */
    void closeSocket() {
        try {
            // a read blocked in another thread wakes on shutdown (close alone may not wake it)
            socket.shutdownInput();
        } catch (IOException | RuntimeException e) {
            // closed below either way
        }
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            // closed either way
        }
    }

    /** Closes the socket without throwing. */
    void closeQuietly() {
        try {
            disconnect();
        } catch (RuntimeException e) {
            // The socket is closed by disconnect's finally block either way.
        }
    }

    /** Opens a socket; a failure is a {@link JedisConnectionException}. */
    private interface SocketSupplier {
        Socket get();
    }

    /** Lets the connection keep the socket it connects with, to write to it directly. */
    private static final class CapturingSocketFactory implements JedisSocketFactory {
        private final SocketSupplier opener;
        private final String address;
        private Socket socket;

        CapturingSocketFactory(SocketSupplier opener, String address) {
            this.opener = opener;
            this.address = address;
        }

        @Override
        public Socket createSocket() {
            socket = opener.get();
            return socket;
        }

        @Override
        public String toString() {
            return address;
        }
    }
}
