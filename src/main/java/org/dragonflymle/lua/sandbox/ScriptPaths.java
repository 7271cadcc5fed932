package org.dragonflymle.lua.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.dragonflymle.lua.api.ScriptContext;

/**
 * The file-system policy of one script: which paths it may read and write. Every file a script
 * touches – {@code io.open}, {@code dofile}, {@code loadfile}, {@code require}, {@code
 * dragonfly.http_get} – goes through here.
 *
 * <p>Relative names resolve against ROOT (as in the C engine, which ran with ROOT as its working
 * directory). A name is judged by its real location: symbolic links and {@code ..} are resolved
 * first, so neither can lead outside the allowed directories. Reads must stay under ROOT, writes
 * under LOGDIR (or ROOT for downloads); with a confinement directory every access must also stay
 * inside it. The returned path is the resolved one, so the caller opens what was checked.
 */
public final class ScriptPaths {

    private final Path root;
    private final Path logDir;
    private final Path confinement;

    public ScriptPaths(ScriptContext ctx) {
        this.root = realOrAbsolute(ctx.root());
        this.logDir = realOrAbsolute(ctx.logDir());
        this.confinement = ctx.confinement() == null ? null : realOrAbsolute(ctx.confinement());
    }

    /** A file the script wants to read (or load as Lua); it must be under ROOT. */
    public Path forRead(String name) throws IOException {
        return check(name, root, "ROOT");
    }

    /** A file the script wants to write with {@code io}; it must be under LOGDIR. */
    public Path forWrite(String name) throws IOException {
        return check(name, logDir, "the log directory");
    }

    /** A file {@code dragonfly.http_get} downloads into; it must be under ROOT/data. */
    public Path forDownload(String name) throws IOException {
        return check(name, root.resolve(DATA_DIR), "ROOT/" + DATA_DIR);
    }

    /**
     * Where {@code http_get} may write, relative to ROOT: never over config.lua or a script, which
     * would change what the next start runs.
     */
    public static final String DATA_DIR = "data";

    private Path check(String name, Path allowed, String allowedName) throws IOException {
        Path real = resolve(name);
        if (!real.startsWith(allowed)) {
            throw new SandboxViolation(name + ": Permission denied (outside " + allowedName + ")");
        }
        if (confinement != null && !real.startsWith(confinement)) {
            throw new SandboxViolation(
                    name + ": Permission denied (outside the confinement directory)");
        }
        return real;
    }

    /**
     * Where {@code name} really is: the longest existing prefix with its links resolved, then the
     * parts that do not exist yet, which may not contain {@code .} or {@code ..}.
     */
    Path resolve(String name) throws IOException {
        Path p;
        try {
            p = name.isEmpty() ? null : root.resolve(name);
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p == null) {
            throw new SandboxViolation(name + ": invalid file name");
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new SandboxViolation(name + ": No such file or directory");
        }
        Path real = existing.toRealPath();
        Path rest = existing.relativize(p);
        for (Path part : rest) {
            String s = part.toString();
            if (s.equals("..") || s.equals(".")) {
                throw new SandboxViolation(name + ": No such file or directory");
            }
        }
        return rest.toString().isEmpty() ? real : real.resolve(rest);
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** A refused access; io.open turns it into its usual {@code nil, message}. */
    public static final class SandboxViolation extends IOException {
        public SandboxViolation(String message) {
            super(message);
        }
    }
}
