package org.dragonflymle.lua.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.lua.ScriptFixture.evalString;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.lua.ScriptFixture;
import org.dragonflymle.lua.ScriptHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaValue;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The build replaces {@code LuaDouble.tojstring()} (LuaJPatch in src/build): this test proves that
 * the class the JVM loads is the patched one and that every path from a number to text in a script
 * goes through {@link LuaNumberFormat}. Expected values are LuaJIT 2.1's.
 */
class LuaDoublePatchTest {

    @TempDir Path tmp;
    private ScriptHost lua;

    @BeforeEach
    void start() throws Exception {
        lua = new ScriptFixture(tmp).evaluator();
    }

    @Test
    void theLoadedLuaDoubleIsThePatchedOne() throws Exception {
        String source =
                LuaDouble.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(source).doesNotContain("luaj-jse");
        List<String> calls = new ArrayList<>();
        try (InputStream in = LuaDouble.class.getResourceAsStream("LuaDouble.class")) {
            new ClassReader(in)
                    .accept(
                            new ClassVisitor(Opcodes.ASM9) {
                                @Override
                                public MethodVisitor visitMethod(
                                        int a, String name, String d, String s, String[] e) {
                                    if (!name.equals("tojstring")) {
                                        return null;
                                    }
                                    return new MethodVisitor(Opcodes.ASM9) {
                                        @Override
                                        public void visitMethodInsn(
                                                int op,
                                                String owner,
                                                String n,
                                                String desc,
                                                boolean itf) {
                                            calls.add(owner + "." + n);
                                        }
                                    };
                                }
                            },
                            0);
        }
        assertThat(calls).containsExactly("org/dragonflymle/lua/compat/LuaJSemantics.tojstring");
        assertThat(LuaValue.valueOf(37.0 / 3).tojstring()).isEqualTo("12.333333333333");
    }

    /** Every {@code /} goes through the patched division: IEEE 754, as LuaJIT divides. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "local z = 0 return tostring((0/0) / z)|nan",
                "local z = 0.0 return tostring((0/0) / z)|nan",
                "local z = 0 return tostring(1 / z) .. tostring(-1 / z)|inf-inf",
                "local z = 0 return tostring(z / z)|nan",
                "return tostring(7 / 2)|3.5",
                "local n = 0/0 return tostring(n / 2)|nan"
            })
    void divisionIsIeee(String code, String expected) throws Exception {
        assertThat(evalString(lua, code)).isEqualTo(expected);
    }

    /** Each row is one way a number becomes text without tostring. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "return '' .. 37/3|12.333333333333",
                "return 37/3 .. ''|12.333333333333",
                "return 1.5 .. 2.25|1.52.25",
                "return '' .. 1e-5|1e-05",
                "return '' .. 1e300|1e+300",
                "return '' .. -1e-300|-1e-300",
                "return '' .. 2^63|9.2233720368548e+18",
                "return '' .. 2^53|9007199254740992",
                "return 'k' .. 0.1 + 0.2|k0.3",
                "return string.upper(1e-5)|1E-05",
                "return string.len(37/3)|15",
                "return (string.gsub(2.5, '%.', ','))|2,5",
                "return string.sub(1/3, 1, 6)|0.3333",
                "return string.rep(0.5, 2, 1.25)|0.51.250.5",
                "return select(2, string.find(1e100, 'e'))|2",
                "return string.format('%s %s', 1/3, 1e15 + 0.5)|0.33333333333333 1e+15",
                "return table.concat({1/3, 1e100}, ' ')|0.33333333333333 1e+100",
                "return select(2, pcall(error, 1/3)) .. ''|0.33333333333333",
                "return ('%d'):rep(2) .. 1/0 .. -1/0|%d%dinf-inf",
                "return #tostring(1/3) .. (1/3 .. '' == tostring(1/3) and 'same' or 'differ')|16same"
            })
    void everyPathToTextUsesTheOneFormatter(String code, String expected) throws Exception {
        assertThat(evalString(lua, code)).isEqualTo(expected);
    }
}
