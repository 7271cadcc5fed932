package org.dragonflymle.config.loader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.dragonflymle.config.StageKind;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.compiler.LuaC;

/**
 * Finds the script an entry names and checks that it compiles, so a typo or a syntax error stops
 * the job before it starts rather than in the first {@code loop}.
 *
 * <p>Where scripts are: as in the C engine, {@code script} is relative to the kind's directory,
 * {@code ROOT/filter/} for inputs and {@code ROOT/analyzer/} for analyzers, also when it contains a
 * {@code /} ({@code "dga/rf.lua"} is {@code ROOT/analyzer/dga/rf.lua}). {@code ..} may be used to
 * reach another directory of ROOT ({@code "../lib/x.lua"}); absolute paths and paths that leave
 * ROOT are refused, because scripts are confined to ROOT. The check is lexical: a symbolic link
 * inside ROOT is followed.
 *
 * <p>Scripts are compiled, not run: running one needs the whole runtime (Redis, {@code
 * dragonfly.*}), which is the job's business. Lua messages name a script by its path relative to
 * ROOT ({@code analyzer/x.lua:7: ...}).
 */
final class ScriptFiles {

    /**
     * A script that exists and compiles.
     *
     * @param path absolute, normalised
     * @param name path relative to ROOT with {@code /}, as Lua messages name it
     * @param source the text, bytes mapped 1:1 to chars (tags are ASCII)
     */
    record Script(Path path, String name, String source) {}

    private final Path root;
    private final Globals compiler = new Globals();

    /**
     * @param root absolute and normalised
     */
    ScriptFiles(Path root) {
        this.root = root;
        LoadState.install(compiler);
        LuaC.install(compiler);
    }

    Script check(StageKind kind, String value) throws InvalidEntry {
        Path dir = root.resolve(kind.scriptDir());
        Path path = locate(kind, dir, value);
        String name = relativeName(path);
        if (Files.isDirectory(path)) {
            throw new InvalidEntry("script " + name + " is a directory, not a Lua file");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidEntry(
                    "script " + name + " not found (looked for " + path + ")" + hint(dir, value));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InvalidEntry("script " + name + " cannot be read: " + e);
        }
        try {
            compiler.compilePrototype(new ByteArrayInputStream(bytes), "@" + name);
        } catch (LuaError e) {
            throw new InvalidEntry(
                    "script " + name + " does not compile: " + LuaErrorText.clean(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            throw new InvalidEntry("script " + name + " does not compile: " + e);
        }
        return new Script(path, name, new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private Path locate(StageKind kind, Path dir, String value) throws InvalidEntry {
        Path given;
        try {
            given = Path.of(value);
        } catch (InvalidPathException e) {
            throw new InvalidEntry("script " + LuaValues.quote(value) + " is not a valid path");
        }
        if (given.isAbsolute() || value.startsWith("/")) {
            throw new InvalidEntry(
                    "script "
                            + LuaValues.quote(value)
                            + " is an absolute path; scripts must be under ROOT, named relative to"
                            + " ROOT/"
                            + kind.scriptDir()
                            + "/");
        }
        Path path = dir.resolve(given).normalize();
        if (!path.startsWith(root)) {
            throw new InvalidEntry(
                    "script " + LuaValues.quote(value) + " leaves ROOT (" + root + ")");
        }
        return path;
    }

    /** Guesses what the user meant: a ROOT-relative path, or a missing {@code .lua}. */
    private String hint(Path dir, String value) {
        Path fromRoot = root.resolve(value).normalize();
        if (fromRoot.startsWith(root) && Files.isRegularFile(fromRoot)) {
            String relative = dir.relativize(fromRoot).toString().replace('\\', '/');
            return "; script paths are relative to "
                    + root.relativize(dir)
                    + "/, so write script=\""
                    + relative
                    + "\"";
        }
        if (!value.endsWith(".lua") && Files.isRegularFile(dir.resolve(value + ".lua"))) {
            return "; did you mean \"" + value + ".lua\"?";
        }
        return "";
    }

    private String relativeName(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
