package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.dragonflymle.testutils.TestingEventRouter.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** An analyzer written the way the C engine's users write them runs unchanged. */
class ScriptShapesTest {

    @TempDir Path tmp;

    @Test
    void dragonflyStyleAnalyzerRuns() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        copyTree(Path.of("src/test/resources/lua/root"), f.root);
        ScriptContext ctx =
                f.context(
                        "analyzer/dns-score.lua",
                        Map.of("default_analyzer", "", "default_output", "scored"),
                        null);
        try (ScriptHost host = new ScriptHost(ctx, List.of(new DragonflyLib(f.router, ctx)))) {
            host.start();
            LuaTable dns = new LuaTable();
            dns.set("event_type", "dns");
            dns.set("timestamp", "2019-01-28T17:16:12.000386-0500");
            LuaTable inner = new LuaTable();
            inner.set("rrname", "WWW.Example.COM");
            dns.set("dns", inner);
            host.loop(dns);
            LuaTable flow = new LuaTable();
            flow.set("event_type", "flow");
            host.loop(flow);

            Call out = f.router.only();
            assertThat(out.kind()).isEqualTo("output");
            assertThat(out.tag()).isEqualTo("scored");
            LuaValue a = out.value().get("analytics").get("dns");
            assertThat(a.get("parts").toint()).isEqualTo(3);
            assertThat(a.get("distinct").toint()).isEqualTo(10);
            assertThat(a.get("entropy").tojstring()).isEqualTo("3.1899");
            assertThat(a.get("known_tld").toboolean()).isTrue();
            assertThat(a.get("hash").tojstring()).isEqualTo("00005a55");
            assertThat(a.get("epoch").todouble()).isBetween(1548713772.0, 1548713772.001);
            assertThat(a.get("seen").toint()).isEqualTo(1);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(
                    p -> {
                        try {
                            Path target = to.resolve(from.relativize(p).toString());
                            if (Files.isDirectory(p)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(p, target);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }
}
