package org.dragonflymle.testutils;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.cli.Main;

/** Runs the engine's entry point in this JVM (local mode, a MiniCluster) and captures stderr. */
public final class Launcher {

    /** Exit status and what the engine printed on its terminal. */
    public record Result(int exitCode, String stderr) {}

    private Launcher() {}

    public static Result run(Path root, Path logDir, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("-r", root.toString(), "-l", logDir.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args.toArray(new String[0]), ps);
        }
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }
}
