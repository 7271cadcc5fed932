package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.nio.file.Path;
import java.util.Random;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

class MarshalLibTest {

    @TempDir Path tmp;
    private ScriptHost lua;

    @BeforeEach
    void start() throws Exception {
        lua = new ScriptFixture(tmp).evaluator();
    }

    private String eval(String code) throws Exception {
        return evalString(lua, code);
    }

    @Test
    void scalarsRoundTripExactly() throws Exception {
        assertThat(
                        eval(
                                "local m = marshal local ok = true"
                                        + " for _, v in ipairs({true, false, 0, 1, -1, 2^31, -2^31, 2^53,"
                                        + " 2090564295433925, 0.1, 1/3, -0.0, 1/0, -1/0, 1e-300, 'x', ''}) do"
                                        + " local back = m.decode(m.encode(v))"
                                        + " ok = ok and back == v and type(back) == type(v) end"
                                        + " return ok"))
                .isEqualTo("true");
        assertThat(eval("return marshal.decode(marshal.encode(nil)) == nil")).isEqualTo("true");
        assertThat(eval("local n = marshal.decode(marshal.encode(0/0)) return n ~= n"))
                .isEqualTo("true");
    }

    @Test
    void binaryStringsRoundTrip() throws Exception {
        assertThat(
                        eval(
                                "local s = '' for i = 0, 255 do s = s .. string.char(i) end"
                                        + " return marshal.decode(marshal.encode(s)) == s"))
                .isEqualTo("true");
    }

    @Test
    void nestedTablesWithAnyKeysRoundTrip() throws Exception {
        assertThat(
                        eval(
                                "local t = {1, 2, nil, 4, x = {y = {z = 'deep'}}, [true] = 'yes',"
                                        + " [1.5] = 'half', [{}] = 'tablekey'}"
                                        + " local b = marshal.decode(marshal.encode(t))"
                                        + " local tk for k, v in pairs(b) do if type(k) == 'table' then tk = v end end"
                                        + " return table.concat({b[1], b[2], tostring(b[3]), b[4], b.x.y.z,"
                                        + " b[true], b[1.5], tk}, ',')"))
                .isEqualTo("1,2,nil,4,deep,yes,half,tablekey");
    }

    @Test
    void sharedTablesAndCyclesArePreserved() throws Exception {
        assertThat(
                        eval(
                                "local shared = {n = 1} local t = {a = shared, b = shared} t.self = t"
                                        + " local b = marshal.decode(marshal.encode(t))"
                                        + " return tostring(b.a == b.b) .. tostring(b.self == b)"
                                        + " .. tostring(b.a ~= shared) .. b.a.n"))
                .isEqualTo("truetruetrue1");
    }

    @Test
    void cloneMakesADeepCopy() throws Exception {
        assertThat(
                        eval(
                                "local t = {x = {1}} local c = marshal.clone(t) c.x[1] = 2"
                                        + " return t.x[1] .. c.x[1]"))
                .isEqualTo("12");
    }

    @Test
    void functionsAreRefused() {
        assertThatThrownBy(() -> eval("return marshal.encode({f = print})"))
                .hasMessageContaining("marshal.encode: cannot encode a function");
        assertThatThrownBy(() -> eval("return marshal.encode(coroutine.create(print))"))
                .hasMessageContaining("cannot encode a thread");
    }

    @Test
    void garbageIsALuaError() throws Exception {
        assertThat(eval("return select(2, pcall(marshal.decode, 'garbage'))"))
                .contains("marshal.decode: not marshal data");
        assertThat(eval("return select(2, pcall(marshal.decode, 'DM\\1\\6\\127'))"))
                .contains("truncated");
        assertThat(eval("return select(2, pcall(marshal.decode, marshal.encode({1, 2}) .. 'x'))"))
                .contains("trailing bytes");
        assertThat(eval("return select(2, pcall(marshal.decode, 'DM\\9\\0'))"))
                .contains("unsupported version");
        assertThat(eval("return select(2, pcall(marshal.decode, 'DM\\1\\7\\0'))"))
                .contains("unknown table");
        assertThatThrownBy(() -> eval("return marshal.decode({})")).isInstanceOf(Exception.class);
    }

    @Test
    void randomBytesNeverEscapeAsJavaExceptions() {
        Random random = new Random(42);
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[3 + random.nextInt(40)];
            random.nextBytes(b);
            b[0] = 'D';
            b[1] = 'M';
            b[2] = 1;
            try {
                MarshalCodec.decode(LuaString.valueUsing(b));
            } catch (LuaError expected) {
                // fine: garbage is a Lua error
            }
        }
    }

    @Test
    void deepNestingIsBounded() {
        LuaTable root = new LuaTable();
        LuaTable t = root;
        for (int i = 0; i < MarshalCodec.MAX_DEPTH + 5; i++) {
            LuaTable next = new LuaTable();
            t.set(1, next);
            t = next;
        }
        LuaTable deep = root;
        assertThatThrownBy(() -> MarshalCodec.encode(deep))
                .isInstanceOf(LuaError.class)
                .hasMessageContaining("nested too deep");
        StringBuilder sb = new StringBuilder("DM\u0001");
        for (int i = 0; i < 5000; i++) {
            sb.append("\u0006\u0001");
        }
        LuaString bomb = LuaString.valueOf(sb.toString());
        assertThatThrownBy(() -> MarshalCodec.decode(bomb)).isInstanceOf(LuaError.class);
    }

    @Test
    void formatIsVersionedAndCompact() {
        LuaString s = MarshalCodec.encode(LuaValue.valueOf(1));
        assertThat(s.length()).isEqualTo(8);
        assertThat(s.luaByte(0)).isEqualTo('D');
        assertThat(s.luaByte(2)).isEqualTo(MarshalCodec.VERSION);
    }
}
