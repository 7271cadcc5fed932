package org.dragonflymle.connector.tail;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.connector.tail.split.StartPosition;

/**
 * Builds a {@link TailSource}; {@link #build()} checks the settings before anything runs.
 *
 * <pre>{@code
 * TailSource source = TailSource.builder("/var/log/suricata/eve.json")
 *         .setStartPosition(StartPosition.BEGINNING)
 *         .setMaxLineBytes(1 << 20)
 *         .build();
 * }</pre>
 */
@PublicEvolving
public final class TailSourceBuilder {

    private final String path;
    private StartPosition start = TailSourceOptions.START.defaultValue();
    private Duration pollInterval = TailSourceOptions.POLL_INTERVAL.defaultValue();
    private int maxLineBytes = 1024 * 1024;

    TailSourceBuilder(String path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public TailSourceBuilder setStartPosition(StartPosition start) {
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    public TailSourceBuilder setPollInterval(Duration pollInterval) {
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        return this;
    }

    /** Lines longer than this become OVERSIZED events (the input stage reports them). */
    public TailSourceBuilder setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        return this;
    }

    /** Applies the {@link TailSourceOptions} set in {@code options}. */
    public TailSourceBuilder setOptions(Configuration options) {
        options.getOptional(TailSourceOptions.START).ifPresent(this::setStartPosition);
        options.getOptional(TailSourceOptions.POLL_INTERVAL).ifPresent(this::setPollInterval);
        return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public TailSource build() {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("tail:// needs an absolute path, got " + path);
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("tail:// follows a file, not a directory: " + path);
        }
        if (pollInterval.compareTo(TailSourceOptions.MIN_POLL) < 0
                || pollInterval.compareTo(TailSourceOptions.MAX_POLL) > 0) {
            throw new IllegalArgumentException(
                    "poll interval "
                            + pollInterval.toMillis()
                            + "ms is out of range (10ms to 1min)");
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max line bytes must be positive");
        }
        return new TailSource(path, start, pollInterval, maxLineBytes);
    }
}
