package org.dragonflymle.connector.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.connector.socket.SocketOptions.Overflow;
import org.dragonflymle.connector.socket.SocketUri.Kind;
import org.junit.jupiter.api.Test;

class SocketUriTest {

    @Test
    void anInputWithoutOptionsGetsTheDefaults() {
        SocketUri uri = SocketUri.parse("ipc:///run/dragonfly/eve.sock", Direction.INPUT);

        assertThat(uri.kind()).isEqualTo(Kind.DATAGRAM);
        assertThat(uri.path()).isEqualTo("/run/dragonfly/eve.sock");
        assertThat(uri.bufferEvents()).isEqualTo(100_000);
        assertThat(uri.bufferBytes()).isEqualTo(64L << 20);
        assertThat(uri.overflow()).isEqualTo(Overflow.DROP);
        assertThat(uri).hasToString("ipc:///run/dragonfly/eve.sock");
    }

    @Test
    void optionsComeFromTheQuery() {
        SocketUri uri =
                SocketUri.parse(
                        "unix:///tmp/e.sock?buffer=500&buffer_bytes=8mb&overflow=block",
                        Direction.INPUT);

        assertThat(uri.kind()).isEqualTo(Kind.STREAM);
        assertThat(uri.path()).isEqualTo("/tmp/e.sock");
        assertThat(uri.bufferEvents()).isEqualTo(500);
        assertThat(uri.bufferBytes()).isEqualTo(8L << 20);
        assertThat(uri.overflow()).isEqualTo(Overflow.BLOCK);
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> SocketUri.parse("ipc:///tmp/e.sock?bufer=5", Direction.INPUT))
                .hasMessageContaining("unknown option \"bufer\"");
        assertThatThrownBy(() -> SocketUri.parse("ipc:///tmp/e.sock?buffer=lots", Direction.INPUT))
                .hasMessageContaining("buffer");
        assertThatThrownBy(() -> SocketUri.parse("ipc:///tmp/e.sock?buffer=0", Direction.INPUT))
                .hasMessageContaining("buffer must be at least 1");
        assertThatThrownBy(
                        () -> SocketUri.parse("ipc:///tmp/e.sock?overflow=wait", Direction.INPUT))
                .hasMessageContaining("overflow");
        assertThatThrownBy(() -> SocketUri.parse("ipc:///tmp/e.sock?buffer", Direction.INPUT))
                .hasMessageContaining("name=value");
    }

    @Test
    void outputsTakeNoOptions() {
        assertThat(SocketUri.parse("unix:///tmp/out.sock", Direction.OUTPUT).path())
                .isEqualTo("/tmp/out.sock");
        assertThatThrownBy(() -> SocketUri.parse("unix:///tmp/out.sock?buffer=5", Direction.OUTPUT))
                .hasMessageContaining("outputs take no options");
    }

    @Test
    void aSocketPathLongerThanTheKernelAllowsIsRefused() {
        String path = "/tmp/" + "d".repeat(100) + "/e.sock";
        assertThatThrownBy(() -> SocketUri.parse("ipc://" + path, Direction.INPUT))
                .hasMessageContaining("longer than 107 bytes");
    }
}
