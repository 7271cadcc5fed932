package org.dragonflymle.redis;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
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

    private final RespReader reader;
    private final RedisOutputStream out;
    // No initializer: the field must stay false while the super constructor runs the handshake.
    private boolean typed;

    private TypedReplyConnection(CapturingSocketFactory sockets, JedisClientConfig config) {
        super(sockets, config);
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
        return new TypedReplyConnection(
                new CapturingSocketFactory(new DefaultJedisSocketFactory(address, config)), config);
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
        return typed ? reader.read(is) : super.protocolRead(is);
    }

    /** Closes the socket without throwing. */
    void closeQuietly() {
        try {
            disconnect();
        } catch (RuntimeException e) {
            // The socket is closed by disconnect's finally block either way.
        }
    }

    /** Lets the connection keep the socket Jedis's factory creates, to write to it directly. */
    private static final class CapturingSocketFactory implements JedisSocketFactory {
        private final DefaultJedisSocketFactory delegate;
        private Socket socket;

        CapturingSocketFactory(DefaultJedisSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Socket createSocket() {
            socket = delegate.createSocket();
            return socket;
        }

        @Override
        public String toString() {
            return delegate.getHostAndPort().toString();
        }
    }
}
