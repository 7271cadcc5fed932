package org.dragonflymle.lua.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.eval;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

class SandboxTest {

    @TempDir Path tmp;

    /** A script whose setup runs {@code code} and keeps its result in {@code result}. */
    private ScriptHost setupRuns(ScriptFixture f, String code) throws Exception {
        return f.started(
                "analyzer/s.lua",
                "function setup() result = (function() "
                        + code
                        + " end)() end\n"
                        + ScriptFixture.EVALUATOR);
    }

    private static String result(ScriptHost h) {
        return h.globals().get("result").tojstring();
    }

    @Test
    void ioInSetupReadsFilesRelativeToRoot() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("analyzer/country-codes.txt", "US\nDE\n");
        ScriptHost h =
                setupRuns(
                        f,
                        "local t = {} for l in io.lines('analyzer/country-codes.txt') do t[#t+1] = l end"
                                + " local fh = assert(io.open('analyzer/country-codes.txt'))"
                                + " local all = fh:read('*a') fh:close()"
                                + " return table.concat(t, ',') .. '|' .. #all");
        assertThat(result(h)).isEqualTo("US,DE|6");
    }

    @Test
    void bufferedReadsHandleLargeFilesAndSeek() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            sb.append("line").append(i).append('\n');
        }
        f.write("big.txt", sb.toString());
        ScriptHost h =
                setupRuns(
                        f,
                        "local n = 0 for l in io.lines('big.txt') do n = n + 1 end"
                                + " local fh = io.open('big.txt') local all = fh:read('*a')"
                                + " fh:seek('set', 4) local rest = fh:read(1) fh:close()"
                                + " return n .. ',' .. #all .. ',' .. rest");
        assertThat(result(h)).isEqualTo("20000," + sb.length() + ",0");
    }

    @Test
    void ioIsNilInLoopAndSavedReferencesFail() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("data.txt", "x");
        ScriptHost h =
                f.started(
                        "analyzer/s.lua",
                        "local saved = io\n"
                                + "function loop(m)\n"
                                + "  if m == 'global' then return io.open('data.txt') end\n"
                                + "  if m == 'require' then result = tostring(package.loaded.io) return end\n"
                                + "  saved.open('data.txt')\n"
                                + "end\n");
        assertThatThrownBy(() -> h.loop(LuaValue.valueOf("global")))
                .isInstanceOf(ScriptException.class)
                .hasMessageContaining("attempt to index");
        assertThatThrownBy(() -> h.loop(LuaValue.valueOf("saved")))
                .isInstanceOf(ScriptException.class)
                .hasMessageContaining("io is not available in loop()");
        h.loop(LuaValue.valueOf("require"));
        assertThat(result(h)).isEqualTo("nil");
    }

    @Test
    void fileOpenedInSetupStaysUsableInLoop() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost h =
                f.started(
                        "analyzer/s.lua",
                        "local out\n"
                                + "function setup() out = assert(io.open('"
                                + f.logDir
                                + "/mine.log', 'w')) end\n"
                                + "function loop(m) out:write(m, '\\n') out:flush() end\n");
        h.loop(LuaValue.valueOf("hello"));
        assertThat(Files.readString(f.logDir.resolve("mine.log"))).isEqualTo("hello\n");
    }

    @Test
    void readingOutsideRootIsRefused() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        Files.writeString(tmp.resolve("secret.txt"), "s");
        ScriptHost h =
                setupRuns(
                        f,
                        "local a, e1 = io.open('"
                                + tmp.resolve("secret.txt")
                                + "') local b, e2 = io.open('../secret.txt')"
                                + " local c, e3 = io.open('/etc/passwd')"
                                + " return tostring(a) .. tostring(b) .. tostring(c) .. '|' .. e1 .. '|' .. e2");
        assertThat(result(h)).startsWith("nilnilnil|").contains("Permission denied (outside ROOT)");
    }

    @Test
    void symlinkOutOfRootIsRefused() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        Files.writeString(tmp.resolve("secret.txt"), "s");
        Files.createSymbolicLink(f.root.resolve("link.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(f.root.resolve("dirlink"), tmp);
        ScriptHost h =
                setupRuns(
                        f,
                        "return tostring(io.open('link.txt')) .. tostring(io.open('dirlink/secret.txt'))");
        assertThat(result(h)).isEqualTo("nilnil");
    }

    @Test
    void writingUnderLogDirWorksAndElsewhereIsRefused() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost h =
                setupRuns(
                        f,
                        "local fh = assert(io.open('"
                                + f.logDir
                                + "/out.txt', 'w')) fh:write('written') fh:close()"
                                + " local a, e = io.open('analyzer/evil.lua', 'w')"
                                + " local b = io.open('"
                                + f.logDir
                                + "/out.txt', 'a')"
                                + " local c = io.open('"
                                + tmp
                                + "/x.txt', 'w')"
                                + " return tostring(a) .. '|' .. e .. '|' .. io.type(b) .. '|' .. tostring(c)");
        assertThat(result(h))
                .startsWith("nil|")
                .contains("outside the log directory")
                .endsWith("|file|nil");
        assertThat(Files.readString(f.logDir.resolve("out.txt"))).isEqualTo("written");
        assertThat(f.root.resolve("analyzer/evil.lua")).doesNotExist();
        assertThat(tmp.resolve("x.txt")).doesNotExist();
    }

    @Test
    void updateModesWriteInPlace() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        Files.writeString(f.logDir.resolve("u.txt"), "abcdef");
        ScriptHost h =
                setupRuns(
                        f,
                        "local fh = assert(io.open('"
                                + f.logDir
                                + "/u.txt', 'r+')) fh:write('XY') fh:close()"
                                + " local bad, e = io.open('"
                                + f.logDir
                                + "/u.txt', 'z') return tostring(bad) .. ' ' .. e");
        assertThat(Files.readString(f.logDir.resolve("u.txt"))).isEqualTo("XYcdef");
        assertThat(result(h)).startsWith("nil ").endsWith("Invalid argument");
    }

    @Test
    void writeThroughSymlinkedDirectoryOutOfLogDirIsRefused() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(f.logDir.resolve("escape"), outside);
        ScriptHost h =
                setupRuns(f, "return tostring(io.open('" + f.logDir + "/escape/x.txt', 'w'))");
        assertThat(result(h)).isEqualTo("nil");
        assertThat(outside.resolve("x.txt")).doesNotExist();
    }

    @Test
    void confinementDirectoryAppliesToEveryAccess() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("analyzer/ok.txt", "ok");
        f.write("other/no.txt", "no");
        f.write(
                "analyzer/c.lua",
                "function setup() result = tostring(io.open('analyzer/ok.txt')) .. tostring(io.open('other/no.txt')) end function loop(m) end");
        ScriptContext ctx = f.context("analyzer/c.lua", Map.of(), f.root.resolve("analyzer"));
        try (ScriptHost h = new ScriptHost(ctx, List.of())) {
            h.start();
            assertThat(result(h)).startsWith("file").endsWith("nil");
        }
    }

    @Test
    void requireLoadsFromRootOnly() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("analyzer/utils.lua", "return { answer = 42 }");
        f.write("lib/init.lua", "return { name = 'lib' }");
        Files.writeString(tmp.resolve("outside.lua"), "return { bad = true }");
        ScriptHost h = f.evaluator();
        assertThat(evalString(h, "return require('analyzer/utils').answer")).isEqualTo("42");
        assertThat(evalString(h, "return require('analyzer.utils').answer")).isEqualTo("42");
        assertThat(evalString(h, "return require('lib').name")).isEqualTo("lib");
        assertThat(evalString(h, "return select(2, pcall(require, '../outside'))"))
                .contains("module '../outside' not found");
        assertThat(
                        evalString(
                                h,
                                "package.path = '"
                                        + tmp
                                        + "/?.lua;' .. package.path"
                                        + " return select(2, pcall(require, 'outside'))"))
                .contains("not found");
        assertThat(
                        evalString(
                                h,
                                "return select(2, pcall(require, 'org.luaj.vm2.lib.jse.LuajavaLib'))"))
                .contains("not found");
        assertThat(evalString(h, "return require('string') == string")).isEqualTo("true");
    }

    @Test
    void dofileAndLoadfileStayInRoot() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("analyzer/part.lua", "return 7");
        Files.writeString(tmp.resolve("outside.lua"), "return 8");
        ScriptHost h = f.evaluator();
        assertThat(evalString(h, "return dofile('analyzer/part.lua')")).isEqualTo("7");
        assertThat(evalString(h, "return loadfile('analyzer/part.lua')()")).isEqualTo("7");
        assertThat(evalString(h, "return select(2, loadfile('" + tmp + "/outside.lua'))"))
                .contains("outside ROOT");
        assertThatThrownBy(() -> eval(h, "return dofile('../outside.lua')"))
                .isInstanceOf(ScriptException.class)
                .hasMessageContaining("cannot open");
    }

    @Test
    void processesJavaAndDebugAreAbsent() throws Exception {
        ScriptHost h = new ScriptFixture(tmp).evaluator();
        assertThat(
                        evalString(
                                h,
                                "return table.concat({tostring(os.execute), tostring(os.remove),"
                                        + " tostring(os.rename), tostring(os.tmpname),"
                                        + " tostring(luajava), tostring(debug), tostring(bit32),"
                                        + " tostring(package.loadlib)}, ',')"))
                .isEqualTo("nil,nil,nil,nil,nil,nil,nil,nil");
    }

    @Test
    void popenAndTmpfileAreAbsentInSetup() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost h =
                setupRuns(f, "return tostring(io.popen) .. tostring(io.tmpfile) .. type(io.open)");
        assertThat(result(h)).isEqualTo("nilnilfunction");
    }

    @Test
    void osOffersOnlyTheHarmlessFunctions() throws Exception {
        ScriptHost h = new ScriptFixture(tmp).evaluator();
        assertThat(evalString(h, "return os.getenv('HOME')")).isEqualTo("nil");
        assertThat(evalString(h, "return os.time() == math.floor(os.time())")).isEqualTo("true");
        assertThat(evalString(h, "return os.time({year=2019, month=1, day=28, hour=0}) > 0"))
                .isEqualTo("true");
        assertThat(evalString(h, "return os.date('!%Y-%m-%d %H:%M:%S', 86400)"))
                .isEqualTo("1970-01-02 00:00:00");
        assertThat(evalString(h, "return os.date('!*t', 86400).day")).isEqualTo("2");
        assertThat(evalString(h, "return os.difftime(10, 4)")).isEqualTo("6");
        assertThat(evalString(h, "return type(os.clock())")).isEqualTo("number");
    }

    @Test
    void textChunksLoadButBinaryChunksAreRefused() throws Exception {
        ScriptHost h = new ScriptFixture(tmp).evaluator();
        assertThat(evalString(h, "return load('return 1 + 1')()")).isEqualTo("2");
        assertThat(evalString(h, "return loadstring('return ...')(5)")).isEqualTo("5");
        assertThat(
                        evalString(
                                h,
                                "local f, e = load(string.dump(function() return 1 end)) return e"))
                .contains("binary chunk");
    }

    @Test
    void collectgarbageDoesNotStopTheWorld() throws Exception {
        ScriptHost h = new ScriptFixture(tmp).evaluator();
        assertThat(evalString(h, "return collectgarbage()")).isEqualTo("0");
        assertThat(evalString(h, "return collectgarbage('count') > 0")).isEqualTo("true");
    }

    @Test
    void hostsDoNotShareGlobals() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost a = f.evaluator();
        ScriptHost b = f.evaluator();
        eval(a, "shared = 'a' table.insert = nil");
        assertThat(evalString(b, "return tostring(shared) .. type(table.insert)"))
                .isEqualTo("nilfunction");
    }
}
