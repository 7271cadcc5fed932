package org.dragonflymle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The content of a Dragonfly root as a reload compares it: a SHA-256 of every regular file under
 * ROOT (scripts, the modules they {@code require}, the models they read), by path relative to ROOT.
 * {@code tests/} and {@code www/} are left out (no stage runs them), and so are hidden files and
 * directories (an editor's swap files).
 *
 * @param digests relative path ({@code /}-separated) → hex SHA-256
 */
record RootFiles(Map<String, String> digests) {

    private static final Set<String> SKIPPED_DIRS = Set.of("tests", "www");

    /** Reads every file under {@code root} now. */
    static RootFiles of(Path root) {
        Map<String, String> digests = new TreeMap<>();
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(
                                Path dir, BasicFileAttributes attrs) {
                            if (dir.equals(root)) {
                                return FileVisitResult.CONTINUE;
                            }
                            String name = dir.getFileName().toString();
                            boolean skipped =
                                    name.startsWith(".")
                                            || (dir.getParent().equals(root)
                                                    && SKIPPED_DIRS.contains(name));
                            return skipped
                                    ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            if (attrs.isRegularFile()
                                    && !file.getFileName().toString().startsWith(".")) {
                                digests.put(
                                        root.relativize(file).toString().replace('\\', '/'),
                                        sha256(file));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            // a file that vanished or cannot be read differs from what it was
                            digests.put(root.relativize(file).toString(), "unreadable");
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RootFiles(Map.copyOf(digests));
    }

    /** Paths added, removed or changed between {@code before} and this, sorted. */
    Set<String> changedSince(RootFiles before) {
        Set<String> changed = new TreeSet<>();
        digests.forEach(
                (path, digest) -> {
                    if (!digest.equals(before.digests.get(path))) {
                        changed.add(path);
                    }
                });
        for (String path : before.digests.keySet()) {
            if (!digests.containsKey(path)) {
                changed.add(path);
            }
        }
        return changed;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
