package org.dragonflymle.connector.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real stream sockets bound through {@link SocketPath}, as the unix:// input does. */
class SocketPathTest {

    @TempDir Path dir;

    private static final SocketPath.ListenerProbe NOBODY = p -> false;

    private ServerSocketChannel bind(SocketPath file) throws Exception {
        Path at = file.prepare(NOBODY);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(at));
        file.publish(at);
        return server;
    }

    @Test
    void theSocketAppearsWithMode0660AndNoTemporaryFileRemains() throws Exception {
        SocketPath file = new SocketPath(dir.resolve("sub/e.sock").toString());

        try (ServerSocketChannel server = bind(file)) {
            Path sock = dir.resolve("sub/e.sock");
            assertThat(SocketPath.isSocket(sock)).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
                    .isEqualTo("rw-rw----");
            try (var files = Files.list(dir.resolve("sub"))) {
                assertThat(files).containsExactly(sock);
            }
            file.remove();
            assertThat(sock).doesNotExist();
        }
    }

    @Test
    void aStaleSocketIsReplacedButARegularFileIsNot() throws Exception {
        Path sock = dir.resolve("e.sock");
        ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        old.bind(UnixDomainSocketAddress.of(sock));
        old.close(); // the file stays: stale
        assertThat(sock).exists();

        SocketPath file = new SocketPath(sock.toString());
        try (ServerSocketChannel server = bind(file)) {
            assertThat(SocketPath.isSocket(sock)).isTrue();
        }
        file.remove();

        Path regular = Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> new SocketPath(regular.toString()).prepare(NOBODY))
                .hasMessageContaining("not a socket");
        assertThat(regular).hasContent("keep me");
    }

    @Test
    void aSocketSomeoneListensOnIsNotTakenOver() throws Exception {
        Path sock = dir.resolve("e.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(sock));

            assertThatThrownBy(() -> new SocketPath(sock.toString()).prepare(p -> true))
                    .hasMessageContaining("another process is listening");
            assertThat(sock).exists();
        }
    }

    @Test
    void closeLeavesASocketFileThatIsNoLongerItsOwn() throws Exception {
        Path sock = dir.resolve("e.sock");
        SocketPath first = new SocketPath(sock.toString());
        try (ServerSocketChannel a = bind(first)) {
            a.close();
            SocketPath second = new SocketPath(sock.toString());
            try (ServerSocketChannel b = bind(second)) {
                first.remove(); // the file is second's now
                assertThat(sock).exists();
                second.remove();
                assertThat(sock).doesNotExist();
            }
        }
    }
}
