package org.dragonflymle.redis;

import java.io.IOException;
import java.net.Socket;
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
    private final Socket socket;
    private long pollNanos;

    private TypedReplyConnection(
            CapturingSocketFactory sockets, JedisClientConfig config, long pollNanos) {
        super(sockets, config);
        this.reader = new RespReader();
        this.pollNanos = pollNanos;
        this.socket = sockets.socket;
        try {
            this.out = new RedisOutputStream(socket.getOutputStream());
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
    static TypedReplyConnection open(
            HostAndPort address, JedisClientConfig config, long pollNanos) {
        DefaultJedisSocketFactory tcp = new DefaultJedisSocketFactory(address, config);
        // TLS sockets report only decrypted bytes as available: polling would always spin out.
        return new TypedReplyConnection(
                new CapturingSocketFactory(tcp::createSocket, address.toString()),
                config,
                config.isSsl() ? 0 : pollNanos);
    }

    /**
     * Connects to Redis's Unix socket and authenticates.
     *
     * @throws JedisConnectionException when nothing listens on {@code path}
     */
    static TypedReplyConnection openUnix(Path path, JedisClientConfig config, long pollNanos) {
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
        return new TypedReplyConnection(
                new CapturingSocketFactory(unix, path.toString()), config, pollNanos);
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
        if (pollNanos > 0) {
            awaitReply(is);
        }
        return reader.read(is);
    }

    /**
     * Polls the socket for up to {@link #pollNanos} before the blocking read. A blocked reader is
     * put to sleep and woken by the kernel when the reply lands, which on a virtual machine costs
     * more than Redis takes to answer; polling keeps this thread on its core for the few
     * microseconds a local Redis needs (measured here: 12,000 INCR/s blocking, 35,000 polling). A
     * slower reply falls through to the ordinary blocking read. A thread that has moved to Redis's
     * own CPU does not poll ({@link #stopPolling}): there the spinning would only keep Redis from
     * running.
     */
    private void awaitReply(RedisInputStream is) {
        try {
            if (is.available() > 0) {
                return;
            }
            long deadline = System.nanoTime() + pollNanos;
            do {
                Thread.onSpinWait();
            } while (is.available() == 0 && System.nanoTime() - deadline < 0);
        } catch (IOException e) {
            // The blocking read that follows meets the same failure and reports it.
        }
    }

    /**
     * The process id of the server at the other end of a Unix socket, as the kernel recorded it
     * when the connection was made; -1 over TCP, or when the server is in another PID namespace.
     */
    long peerPid() {
        if (!(socket instanceof AFUNIXSocket unix)) {
            return -1;
        }
        try {
            long pid = unix.getPeerCredentials().getPid();
            return pid > 0 ? pid : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** From now on replies are awaited in a blocking read only (see {@link RedisColocation}). */
    void stopPolling() {
        pollNanos = 0;
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
