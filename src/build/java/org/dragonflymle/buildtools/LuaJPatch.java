package org.dragonflymle.buildtools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Build step (run by Maven in process-classes, see pom.xml): writes patched copies of a few LuaJ
 * classes into target/classes, where each listed method's body is replaced by one call to a static
 * method of the project ({@code org.dragonflymle.lua.compat.LuaJSemantics}) with {@code this} (for
 * an instance method) and the method's arguments.
 *
 * <p>Why: LuaJ offers no hook for these, and every path of the VM goes through them:
 *
 * <ul>
 *   <li>{@code LuaDouble.tojstring()}: every way a non-integral number becomes text ({@code ..},
 *       {@code strvalue}, {@code checkstring} in every library, {@code Buffer}) ends here, and
 *       LuaJ writes {@code Float.toString}; LuaJIT writes {@code %.14g}.
 *   <li>{@code LuaTable.len()}: the {@code #} operator; LuaJ honours {@code __len} on tables, Lua
 *       5.1 and LuaJIT do not.
 *   <li>{@code LuaString.strcmp(LuaString)}: {@code <} on strings; LuaJ compares signed bytes, so
 *       {@code "\200" < "a"}; C compares unsigned.
 *   <li>{@code LuaDouble.ddiv(double, double)} and {@code ddiv_d}: every {@code /} of the VM; LuaJ
 *       answers a division by zero by the dividend's sign, so NaN / 0 is {@code -inf}; LuaJIT
 *       divides as IEEE 754 does (NaN).
 *   <li>{@code MathLib.dpow(double, double)} and {@code dpow_d}: every {@code ^}; LuaJ calls Java's
 *       {@code Math.pow}, for which {@code 1 ^ inf} and {@code 1 ^ nan} are NaN; C's {@code pow}
 *       (LuaJIT) gives 1.
 * </ul>
 *
 * Everything else in those classes, and every other LuaJ class, stays LuaJ's own bytecode. The
 * step fails the build when a method it replaces is not the one it was written for, so a LuaJ
 * upgrade cannot silently lose a fix.
 *
 * <p>Usage: {@code java -cp asm.jar LuaJPatch.java <luaj-jse.jar> <target/classes>}.
 */
public final class LuaJPatch {

    static final String TARGET = "org/dragonflymle/lua/compat/LuaJSemantics";

    /** One replaced method, and a call its original body must contain (null: none). */
    record Patch(String owner, String name, String desc, String target, String originalCall) {}

    static final List<Patch> PATCHES =
            List.of(
                    new Patch(
                            "org/luaj/vm2/LuaDouble",
                            "tojstring",
                            "()Ljava/lang/String;",
                            "tojstring",
                            "java/lang/Float.toString"),
                    new Patch(
                            "org/luaj/vm2/LuaTable",
                            "len",
                            "()Lorg/luaj/vm2/LuaValue;",
                            "len",
                            "org/luaj/vm2/LuaTable.metatag"),
                    new Patch(
                            "org/luaj/vm2/LuaString",
                            "strcmp",
                            "(Lorg/luaj/vm2/LuaString;)I",
                            "strcmp",
                            null),
                    new Patch(
                            "org/luaj/vm2/LuaDouble",
                            "ddiv",
                            "(DD)Lorg/luaj/vm2/LuaValue;",
                            "ddiv",
                            "org/luaj/vm2/LuaDouble.valueOf"),
                    new Patch("org/luaj/vm2/LuaDouble", "ddiv_d", "(DD)D", "ddiv_d", null),
                    new Patch(
                            "org/luaj/vm2/lib/MathLib",
                            "dpow",
                            "(DD)Lorg/luaj/vm2/LuaValue;",
                            "dpow",
                            "org/luaj/vm2/lib/MathLib.dpow_lib"),
                    new Patch(
                            "org/luaj/vm2/lib/MathLib",
                            "dpow_d",
                            "(DD)D",
                            "dpow_d",
                            "org/luaj/vm2/lib/MathLib.dpow_lib"));

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LuaJPatch <luaj-jse.jar> <classes dir>");
        }
        try (JarFile jar = new JarFile(args[0])) {
            for (String owner : PATCHES.stream().map(Patch::owner).distinct().toList()) {
                ZipEntry e = jar.getEntry(owner + ".class");
                if (e == null) {
                    throw new IllegalStateException(args[0] + " has no " + owner);
                }
                byte[] original;
                try (InputStream in = jar.getInputStream(e)) {
                    original = in.readAllBytes();
                }
                Path out = Path.of(args[1], owner + ".class");
                Files.createDirectories(out.getParent());
                Files.write(out, patch(owner, original));
                System.out.println("LuaJPatch: wrote " + out);
            }
        }
    }

    static byte[] patch(String owner, byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        List<Patch> mine = PATCHES.stream().filter(p -> p.owner.equals(owner)).toList();
        boolean[] done = new boolean[mine.size()];
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String desc, String sig, String[] exc) {
                        MethodVisitor target = super.visitMethod(access, name, desc, sig, exc);
                        for (int i = 0; i < mine.size(); i++) {
                            Patch p = mine.get(i);
                            if (p.name.equals(name) && p.desc.equals(desc)) {
                                boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                                return replacing(p, isStatic, target, done, i);
                            }
                        }
                        return target;
                    }
                },
                0);
        for (int i = 0; i < done.length; i++) {
            if (!done[i]) {
                throw new IllegalStateException(
                        owner
                                + "."
                                + mine.get(i).name
                                + " is not LuaJ 3.0.1's; review LuaJPatch before upgrading LuaJ");
            }
        }
        return writer.toByteArray();
    }

    private static MethodVisitor replacing(
            Patch p, boolean isStatic, MethodVisitor target, boolean[] done, int index) {
        boolean[] seen = {p.originalCall == null};
        return new MethodVisitor(Opcodes.ASM9, null) {
            @Override
            public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                if ((owner + "." + n).equals(p.originalCall)) {
                    seen[0] = true;
                }
            }

            @Override
            public void visitEnd() {
                done[index] = seen[0];
                Type method = Type.getMethodType(p.desc);
                target.visitCode();
                int slot = 0;
                if (!isStatic) {
                    target.visitVarInsn(Opcodes.ALOAD, 0);
                    slot = 1;
                }
                for (Type arg : method.getArgumentTypes()) {
                    target.visitVarInsn(arg.getOpcode(Opcodes.ILOAD), slot);
                    slot += arg.getSize();
                }
                String staticDesc =
                        isStatic ? p.desc : "(L" + p.owner + ";" + p.desc.substring(1);
                target.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, p.target, staticDesc, false);
                target.visitInsn(method.getReturnType().getOpcode(Opcodes.IRETURN));
                target.visitMaxs(0, 0);
                target.visitEnd();
            }
        };
    }
}
