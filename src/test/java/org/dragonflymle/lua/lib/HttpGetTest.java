package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/**
 * {@code dragonfly.http_get} is a capability: only the hosts config.lua lists, only into ROOT/data,
 * size- and time-capped, never the engine's own ports, loopback only when listed as an address. The
 * test server listens on loopback, which doubles as the "internal address" a script must not reach
 * by default.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpGetTest {

    @TempDir Path tmp;

    private ScriptFixture f;
    private HttpServer server;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        f = new ScriptFixture(tmp);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/list.txt", ex -> answer(ex, 200, "10.0.0.1\n"));
        server.createContext("/missing", ex -> answer(ex, 404, ""));
        server.createContext(
                "/big",
                ex -> {
                    ex.sendResponseHeaders(200, 0); // chunked, no length to refuse up front
                    try (OutputStream os = ex.getResponseBody()) {
                        byte[] chunk = new byte[64 * 1024];
                        for (int i = 0; i < 64; i++) {
                            os.write(chunk);
                        }
                    } catch (java.io.IOException e) {
                        // the client stopped reading: that is the point
                    }
                });
        server.createContext(
                "/slow",
                ex -> {
                    try {
                        Thread.sleep(20_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer(ex, 200, "late");
                });
        server.createContext(
                "/away",
                ex -> {
                    ex.getResponseHeaders()
                            .add("Location", "http://localhost:" + port + "/list.txt");
                    answer(ex, 302, "");
                });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int code, String body)
            throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
        ex.close();
    }

    private void get(Capabilities caps, String path, String file) throws Exception {
        get(caps, path, file, 0);
    }

    private void get(Capabilities caps, String path, String file, long budgetMillis)
            throws Exception {
        ScriptContext ctx = f.context("analyzer/eval.lua", Map.of(), null);
        f.write("analyzer/eval.lua", ScriptFixture.EVALUATOR);
        try (ScriptHost h =
                new ScriptHost(ctx, List.of(new DragonflyLib(f.router, ctx, Map.of(), caps)))) {
            h.setLoopBudget(budgetMillis);
            h.start();
            h.loop(
                    LuaValue.valueOf(
                            "dragonfly.http_get('http://127.0.0.1:"
                                    + port
                                    + path
                                    + "', '"
                                    + file
                                    + "')"));
        }
    }

    private static Capabilities allow(String... hosts) {
        Capabilities d = Capabilities.defaults();
        return new Capabilities(
                List.of(hosts), 1L << 20, 2_000, Set.of(), Capabilities.PortRange.NONE);
    }

    @Test
    void downloadsOnlyFromListedHostsAndLoopbackOnlyWhenListedAsAnAddress() throws Exception {
        assertThatThrownBy(() -> get(Capabilities.defaults(), "/list.txt", "data/l.txt"))
                .hasMessageContaining("127.0.0.1:" + port + " is not in sandbox.http_allow");
        // listed by name, but the name is loopback: a public name that resolves to an internal
        // address is exactly what DNS rebinding does
        assertThatThrownBy(
                        () ->
                                new HttpDownload(allow("localhost"), null)
                                        .get(
                                                "http://localhost:" + port + "/list.txt",
                                                f.root.resolve("data/l.txt")))
                .hasMessageContaining("is a loopback, link-local, wildcard or multicast address");
        Files.createDirectories(f.root.resolve("data"));
        get(allow("127.0.0.1:" + port), "/list.txt", "data/l.txt");
        assertThat(Files.readString(f.root.resolve("data/l.txt"))).isEqualTo("10.0.0.1\n");
        get(allow("127.0.0.1"), "/list.txt", "data/sub/l2.txt");
        assertThat(f.root.resolve("data/sub/l2.txt")).exists();
        assertThatThrownBy(() -> get(allow("127.0.0.1:1"), "/list.txt", "data/l.txt"))
                .hasMessageContaining("is not in sandbox.http_allow");
    }

    @Test
    void aRedirectIsCheckedLikeTheFirstRequest() {
        assertThatThrownBy(() -> get(allow("127.0.0.1"), "/away", "data/a.txt"))
                .hasMessageContaining("localhost:" + port + " is not in sandbox.http_allow");
        assertThat(f.root.resolve("data/a.txt")).doesNotExist();
    }

    @Test
    void theEnginesOwnPortsAreNeverReachable() {
        Capabilities caps = allow("127.0.0.1").reserving(new Capabilities.PortRange(port, port));
        assertThatThrownBy(() -> get(caps, "/list.txt", "data/l.txt"))
                .hasMessageContaining("one of the engine's own ports, never reachable");
    }

    @Test
    void downloadsGoUnderRootDataOnlyNeverOverConfigOrScripts() throws Exception {
        String config = Files.readString(f.write("config/config.lua", "-- the pipeline\n"));
        for (String file :
                List.of("config/config.lua", "analyzer/eval.lua", "../out.txt", "x.txt")) {
            assertThatThrownBy(() -> get(allow("127.0.0.1"), "/list.txt", file))
                    .as(file)
                    .hasMessageContaining("outside ROOT/data");
        }
        assertThat(Files.readString(f.root.resolve("config/config.lua"))).isEqualTo(config);
        assertThat(tmp.resolve("out.txt")).doesNotExist();
    }

    @Test
    void sizeStatusAndTimeAreCapped() throws Exception {
        assertThatThrownBy(() -> get(allow("127.0.0.1"), "/big", "data/big.bin"))
                .hasMessageContaining("larger than 1 MiB (sandbox.http_max_mb)");
        assertThat(f.root.resolve("data/big.bin")).doesNotExist();
        assertThatThrownBy(() -> get(allow("127.0.0.1"), "/missing", "data/m.txt"))
                .hasMessageContaining("HTTP 404");
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(allow("127.0.0.1"), "/slow", "data/s.txt"))
                .hasMessageContaining("took longer than 2000 ms (sandbox.http_timeout_ms)");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        try (var parts = Files.list(f.root.resolve("data"))) {
            assertThat(parts.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void aDownloadCountsAgainstTheCallsBudget() {
        Capabilities caps =
                new Capabilities(
                        List.of("127.0.0.1"),
                        1L << 20,
                        60_000,
                        Set.of(),
                        Capabilities.PortRange.NONE);
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(caps, "/slow", "data/s.txt", 300))
                .hasMessageContaining("loop ran longer than its budget of 300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
