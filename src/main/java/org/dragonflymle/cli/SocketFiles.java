package org.dragonflymle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.connector.Connectors;

/**
 * The socket files a local run binds for its {@code ipc://} and {@code unix://} inputs are removed
 * when the JVM ends, also on SIGTERM (when the tasks get no chance to close their sockets). The
 * launcher's own shutdown hook, not task code: a TaskManager of a cluster is not ours to hook.
 */
final class SocketFiles {

    private SocketFiles() {}

    static void removeOnExit(PipelineSpec spec) {
        List<Path> paths = Connectors.boundSocketFiles(spec);
        if (paths.isEmpty()) {
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    for (Path p : paths) {
                                        try {
                                            if (Files.readAttributes(
                                                            p,
                                                            java.nio.file.attribute
                                                                    .BasicFileAttributes.class)
                                                    .isOther()) {
                                                Files.delete(p);
                                            }
                                        } catch (IOException | RuntimeException e) {
                                            // best effort: the next bind replaces a stale file
                                        }
                                    }
                                },
                                "dragonfly-socket-files"));
    }
}
