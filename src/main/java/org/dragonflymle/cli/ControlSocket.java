package org.dragonflymle.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;

/**
 * The local launcher's control socket, {@code LOGDIR/dragonfly-mle.sock}: how {@code dragonfly-mle
 * reload -l LOGDIR} finds the engine that writes to LOGDIR. A Unix stream socket of mode 0600 (the
 * engine's user, and root, may use it), served by one thread of the launcher – never by task code.
 *
 * <p>Protocol, one request per connection: the client sends one line, {@code reload} or {@code
 * reload --promote TAG}; the server answers with the reload's lines as they come and ends with
 * {@code exit N}, N being the status the client exits with. Requests are served one at a time, in
 * order.
 *
 * <p>The socket is bound in a private directory (mode 0700) and renamed into place, so it never
 * exists with a wider mode. A socket file left by an engine that died is replaced; one that another
 * engine still answers on is left alone (that engine keeps its control, this one goes without, and
 * says so).
 */
final class ControlSocket implements AutoCloseable {

    static final String FILE = "dragonfly-mle.sock";

    /** The most bytes a Unix socket path may have. */
    private static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final ReloadRequests requests;
    private final PrintStream terminal;
    private final Thread thread;
    private final Object fileKey;

    private ControlSocket(
            Path path,
            ServerSocketChannel server,
            Object fileKey,
            ReloadRequests requests,
            PrintStream terminal) {
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
        this.requests = requests;
        this.terminal = terminal;
        this.thread = new Thread(this::serve, "dragonfly-control");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the control socket of the engine writing to {@code logDir} is. */
    static Path path(Path logDir) {
        return logDir.toAbsolutePath().normalize().resolve(FILE);
    }

    /**
     * Binds the control socket of {@code logDir} and starts serving; on a problem says on {@code
     * terminal} why reloads cannot reach this engine and returns null.
     */
    static ControlSocket open(Path logDir, ReloadRequests requests, PrintStream terminal) {
        Path path = path(logDir);
        try {
            return bind(path, requests, terminal);
        } catch (IOException e) {
            terminal.println(
                    "dragonfly-mle: warning: no control socket ("
                            + e.getMessage()
                            + "): dragonfly-mle reload cannot reach this engine");
            return null;
        }
    }

    private static ControlSocket bind(Path path, ReloadRequests requests, PrintStream terminal)
            throws IOException {
        Path dir = path.getParent();
        Path privateDir =
                Files.createTempDirectory(
                        dir,
                        ".control-",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        Path bindAt = privateDir.resolve("s");
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES
                || bindAt.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            Files.delete(privateDir);
            throw new IOException(path + " is longer than a Unix socket path may be");
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (answers(path)) {
                    throw new IOException(
                            "another engine answers on "
                                    + path
                                    + " (a second run with this LOGDIR)");
                }
                Files.delete(path); // left by an engine that is gone
            }
            server.bind(UnixDomainSocketAddress.of(bindAt));
            Files.setPosixFilePermissions(bindAt, PosixFilePermissions.fromString("rw-------"));
            Files.move(bindAt, path, StandardCopyOption.ATOMIC_MOVE);
            Object key =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .fileKey();
            return new ControlSocket(path, server, key, requests, terminal);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(bindAt);
            Files.deleteIfExists(privateDir);
        }
    }

    /** Whether a process accepts connections on the socket at {@code path}. */
    static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path path() {
        return path;
    }

    private void serve() {
        while (true) {
            try (SocketChannel client = server.accept()) {
                handle(client);
            } catch (ClosedChannelException e) {
                return; // closed by close()
            } catch (IOException e) {
                // that client went away; serve the next
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel client) throws IOException, InterruptedException {
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream raw = Channels.newOutputStream(client);
        PrintStream answer = new PrintStream(raw, true, StandardCharsets.UTF_8);
        String line = in.readLine();
        if (line == null) {
            return;
        }
        line = line.strip();
        String promote = null;
        if (line.startsWith("reload --promote ")) {
            promote = line.substring("reload --promote ".length()).strip();
            line = "reload";
        }
        if (!line.equals("reload") || (promote != null && promote.isEmpty())) {
            answer.println("dragonfly-mle: unknown control request: " + line);
            answer.println("exit 2");
            return;
        }
        ReloadRequests.Request request =
                new ReloadRequests.Request(
                        "dragonfly-mle reload",
                        new PrintStream(new Tee(raw, terminal), true, StandardCharsets.UTF_8),
                        promote);
        requests.submit(request);
        int status;
        try {
            status = request.status().get();
        } catch (ExecutionException e) {
            status = 1;
        }
        answer.println("exit " + status);
    }

    /** The requester sees every line; so does the engine's terminal. */
    private static final class Tee extends OutputStream {
        private final OutputStream client;
        private final PrintStream terminal;
        private boolean clientGone;

        Tee(OutputStream client, PrintStream terminal) {
            this.client = client;
            this.terminal = terminal;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            terminal.write(b, off, len);
            if (!clientGone) {
                try {
                    client.write(b, off, len);
                } catch (IOException e) {
                    clientGone = true; // the reload goes on; only its requester left
                }
            }
        }

        @Override
        public void flush() {
            terminal.flush();
        }
    }

    /** Stops serving and removes the socket file if it is still this engine's. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Object now =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .fileKey();
            if (fileKey.equals(now)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // gone already
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
