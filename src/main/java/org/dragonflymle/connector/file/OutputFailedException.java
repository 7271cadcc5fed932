package org.dragonflymle.connector.file;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * A file output could not be written: the file ends on its last whole line, and the job stops
 * rather than restarting into the same wall (a full file system is not fixed by a restart; the
 * checkpoints are kept, and {@code --resume} continues once there is room, nothing twice). The
 * message starts with what the operator must do something about: {@code file system full: PATH}.
 */
public final class OutputFailedException extends IOException {

    private OutputFailedException(String message, IOException cause) {
        super(message, cause);
    }

    /** Whether {@code e} says the device has no space left (ENOSPC) or the quota is spent. */
    public static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null
                    && (m.contains("No space left on device")
                            || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure of writing {@code file}, as an IOException whose cause stops restarts when the
     * file system is full.
     */
    static IOException of(Path file, IOException e) {
        if (isFull(e)) {
            OutputFailedException full =
                    new OutputFailedException(
                            "file system full: cannot write "
                                    + file
                                    + " ("
                                    + e.getMessage()
                                    + "); it ends on its last whole line",
                            e);
            return new IOException(full.getMessage(), new SuppressRestartsException(full));
        }
        return e;
    }
}
