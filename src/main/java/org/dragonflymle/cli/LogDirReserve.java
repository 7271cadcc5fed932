package org.dragonflymle.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small file of real blocks kept in LOGDIR while the engine runs, released when LOGDIR's file
 * system is full: the engine's own log lives there too, and without room it could not say why the
 * job stopped. Removed at the end of every run.
 */
final class LogDirReserve {

    static final String NAME = ".dragonfly-mle.reserve";
    private static final int BYTES = 256 * 1024;

    private final Path file;

    private LogDirReserve(Path file) {
        this.file = file;
    }

    static LogDirReserve create(Path logDir) {
        Path file = logDir.resolve(NAME);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[BYTES]); // written, not sparse: the blocks are really taken
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nothing reserved
            }
        }
        file.toFile().deleteOnExit();
        return new LogDirReserve(file);
    }

    /** Gives the reserved space back to the file system. Idempotent. */
    void release() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to free
        }
    }
}
