package org.dragonflymle.connector.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Tells files apart by what the file system calls them (device and inode on Linux, through {@link
 * BasicFileAttributes#fileKey()}), not by name: a log rotation renames a file and puts a new one
 * under the old name, so only the key says which of the two a saved position or length belongs to.
 */
public final class FileKeys {

    private FileKeys() {}

    /** The key of the file with these attributes as a string, or null where the FS has none. */
    public static String of(BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        return key == null ? null : key.toString();
    }

    /** The attributes of the file at {@code path} (symbolic links followed), or null if none. */
    public static BasicFileAttributes stat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The regular file in {@code dir} with the given key: where a rotation has moved a file, as
     * logrotate does (renamed in place, {@code eve.json.1}).
     */
    public static Optional<Path> find(Path dir, String key) throws IOException {
        if (key == null || dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> {
                                try {
                                    BasicFileAttributes a =
                                            Files.readAttributes(
                                                    f,
                                                    BasicFileAttributes.class,
                                                    LinkOption.NOFOLLOW_LINKS);
                                    return a.isRegularFile() && key.equals(of(a));
                                } catch (IOException e) {
                                    return false; // vanished while listing
                                }
                            })
                    .findFirst();
        }
    }
}
