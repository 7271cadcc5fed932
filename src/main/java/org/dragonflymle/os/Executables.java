package org.dragonflymle.os;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the programs the launcher runs (redis-server, setsid). A service manager may start the
 * engine with a bare PATH, so /usr/bin and /usr/local/bin are searched after it.
 */
public final class Executables {

    private static final List<Path> WELL_KNOWN_DIRS =
            List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private Executables() {}

    /** The first executable {@code name} on PATH, /usr/bin or /usr/local/bin, or null. */
    public static Path find(String name) {
        List<Path> dirs = new ArrayList<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.addAll(WELL_KNOWN_DIRS);
        for (Path dir : dirs) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
