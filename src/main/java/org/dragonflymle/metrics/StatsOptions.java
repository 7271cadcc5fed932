package org.dragonflymle.metrics;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * How often each stage writes its stats line: {@code --stats-interval=SECONDS} on the command line
 * of {@code dragonfly-mle}, or {@code dragonfly.stats.interval} as any Flink option (default 60 s,
 * the C engine's interval). The job generator reads it from the job's configuration and hands it to
 * each operator it builds, in local and cluster mode alike.
 */
public final class StatsOptions {

    public static final long DEFAULT_INTERVAL_SECONDS = 60;

    public static final ConfigOption<Duration> INTERVAL =
            key("dragonfly.stats.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS))
                    .withDescription(
                            "How often every instance of every stage writes its stats line;"
                                    + " at least 1 s.");

    private StatsOptions() {}

    /** The interval in milliseconds, at least one second. */
    public static long intervalMillis(Duration interval) {
        return Math.max(1000, interval.toMillis());
    }
}
