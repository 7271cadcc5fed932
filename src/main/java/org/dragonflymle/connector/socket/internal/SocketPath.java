package org.dragonflymle.connector.socket.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.annotation.Internal;
import org.dragonflymle.config.EndpointUri;

/**
 * The file of a Unix socket the engine binds: it appears at its path already with mode 0660, a
 * stale file left by a crashed run is replaced, a socket some other process still listens on is
 * never taken over, and at close only the engine's own file is removed.
 *
 * <p>To have no moment where the socket exists with the umask's mode, it is bound under a temporary
 * name in the same directory, chmod'ed, and renamed into place (rename(2) replaces a stale file
 * atomically and the bound socket follows its inode). Only when the temporary name would exceed the
 * 107-byte limit is it bound in place and chmod'ed right after.
 */
@Internal
public final class SocketPath {

    /** Whether some process is bound to a socket file. */
    @FunctionalInterface
    public interface ListenerProbe {
        boolean isListening(Path socket);
    }

    private static final Set<PosixFilePermission> MODE_0660 =
            PosixFilePermissions.fromString("rw-rw----");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private Object ownKey;

    public SocketPath(String path) {
        this.path = Path.of(path);
    }

    public Path path() {
        return path;
    }

    /**
     * Checks that the path may be bound and returns the name to bind: creates missing parent
     * directories; refuses a file that is not a socket and a socket that is in use.
     *
     * @throws IOException naming the path and why it cannot be used
     */
    public Path prepare(ListenerProbe probe) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(path)) {
                throw new FileAlreadyExistsException(
                        path.toString(), null, "exists and is not a socket; not replacing it");
            }
            if (probe.isListening(path)) {
                throw new FileAlreadyExistsException(
                        path.toString(),
                        null,
                        "another process is listening on this socket (a second engine?)");
            }
        }
        String temp = "." + path.getFileName() + "." + ThreadLocalRandom.current().nextInt(1 << 30);
        Path bindAt = path.resolveSibling(temp);
        int bytes = bindAt.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > EndpointUri.MAX_SOCKET_PATH_BYTES) {
            Files.deleteIfExists(path); // stale: checked above
            return path;
        }
        return bindAt;
    }

    /** Gives the socket bound at {@code boundAt} mode 0660 and moves it to the path. */
    public void publish(Path boundAt) throws IOException {
        try {
            Files.setPosixFilePermissions(boundAt, MODE_0660);
            if (!boundAt.equals(path)) {
                try {
                    Files.move(boundAt, path, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(boundAt, path, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            ownKey = key(path);
        } catch (IOException e) {
            Files.deleteIfExists(boundAt);
            throw e;
        }
    }

    /**
     * Deletes the socket file if it is still the one this instance published (another engine may
     * have replaced it since); never throws.
     */
    public void remove() {
        if (ownKey == null) {
            return;
        }
        try {
            if (ownKey.equals(key(path))) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            // nothing to do: a stale socket file is replaced by the next run
        }
        ownKey = null;
    }

    /** Whether {@code p} is a socket file (not following links). */
    public static boolean isSocket(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }

    private static Object key(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
    }
}
