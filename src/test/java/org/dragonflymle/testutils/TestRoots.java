package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Builds Dragonfly roots for tests: a copy of a bundled example, or one written inline. */
public final class TestRoots {

    private TestRoots() {}

    /** The repository's examples/ directory (tests run from the project directory). */
    public static Path examples() {
        return Path.of("examples").toAbsolutePath();
    }

    /** Copies examples/NAME to {@code dir}/NAME and returns the copy. */
    public static Path copyExample(String name, Path dir) {
        Path from = examples().resolve(name);
        Path to = dir.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Replaces {@code from} with {@code to} in ROOT/config/config.lua. */
    public static void editConfig(Path root, String from, String to) {
        Path config = root.resolve("config/config.lua");
        try {
            String text = Files.readString(config);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(config + " has no " + from);
            }
            Files.writeString(config, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends lines (e.g. {@code redis_port = 1234}) to ROOT/config/config.lua. */
    public static void appendConfig(Path root, String text) {
        Path config = root.resolve("config/config.lua");
        try {
            Files.writeString(config, Files.readString(config) + "\n" + text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} to ROOT/relative, creating directories. */
    public static Path write(Path root, String relative, String text) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static void writeLines(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
