package org.dragonflymle.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * config.lua's {@code checkpoint} table.
 *
 * @param interval how often Flink checkpoints; {@code null} when not configured
 * @param dir where checkpoints are kept, a URI; {@code null} for the engine's default
 */
public record CheckpointSpec(Duration interval, String dir) implements Serializable {

    public static CheckpointSpec defaults() {
        return new CheckpointSpec(null, null);
    }
}
