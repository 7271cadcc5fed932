package org.dragonflymle.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How often each stage writes its stats line: {@code --stats-interval=SECONDS} on the command line
 * (default 60, the C engine's interval), carried to the operators as a global job parameter so it
 * reaches them in local and cluster mode alike.
 */
public final class StatsOptions {

    public static final String INTERVAL_KEY = "dragonfly.stats.interval.seconds";
    public static final long DEFAULT_INTERVAL_SECONDS = 60;

    private StatsOptions() {}

    /** Sets the interval for the job built on {@code env}, keeping other global parameters. */
    public static void apply(StreamExecutionEnvironment env, long seconds) {
        Map<String, String> params =
                new HashMap<>(env.getConfig().getGlobalJobParameters().toMap());
        params.put(INTERVAL_KEY, Long.toString(seconds));
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(params));
    }

    /** The interval in milliseconds, as the job's parameters say. */
    public static long intervalMillis(ExecutionConfig config) {
        String v = config.getGlobalJobParameters().toMap().get(INTERVAL_KEY);
        long seconds = v == null ? DEFAULT_INTERVAL_SECONDS : Long.parseLong(v);
        return Math.max(1, seconds) * 1000;
    }
}
