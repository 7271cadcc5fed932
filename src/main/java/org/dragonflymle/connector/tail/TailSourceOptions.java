package org.dragonflymle.connector.tail;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.dragonflymle.connector.tail.split.StartPosition;

/**
 * The settings of a {@code tail://} input, given as URI query parameters: {@code
 * tail:///var/log/suricata/eve.json?start=beginning&poll=100ms}.
 */
@PublicEvolving
public final class TailSourceOptions {

    public static final ConfigOption<StartPosition> START =
            key("start")
                    .enumType(StartPosition.class)
                    .defaultValue(StartPosition.END)
                    .withDescription(
                            "Where to start in a file that exists when the job starts for the first"
                                    + " time: 'end' (only new lines, like tail -F and the C engine)"
                                    + " or 'beginning' (replay the file, then follow it). A restart"
                                    + " from a checkpoint resumes at the saved position instead.");

    public static final ConfigOption<Duration> POLL_INTERVAL =
            key("poll")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "How long to wait before looking again when the file has nothing new"
                                    + " (and for a rotated or truncated file), e.g. 100ms or 1s.");

    static final Duration MIN_POLL = Duration.ofMillis(10);
    static final Duration MAX_POLL = Duration.ofMinutes(1);

    private static final List<ConfigOption<?>> ALL = List.of(START, POLL_INTERVAL);

    private TailSourceOptions() {}

    /**
     * Reads {@code name=value&...}; unknown names and bad values fail with a message naming them.
     */
    public static Configuration fromQuery(String query) {
        Map<String, String> values = new HashMap<>();
        if (!query.isEmpty()) {
            for (String param : query.split("&", -1)) {
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "query parameters must be name=value, found \"" + param + "\"");
                }
                String name = param.substring(0, eq);
                if (ALL.stream().noneMatch(o -> o.key().equals(name))) {
                    throw new IllegalArgumentException(
                            "unknown parameter \"" + name + "\" (known: start, poll)");
                }
                if (values.put(name, param.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("parameter " + name + " is repeated");
                }
            }
        }
        Configuration conf = Configuration.fromMap(values);
        for (ConfigOption<?> option : ALL) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bad value \""
                                + values.get(option.key())
                                + "\" for "
                                + option.key()
                                + (option == START
                                        ? " (start=end or start=beginning)"
                                        : " (a duration like 200ms or 1s)"),
                        e);
            }
        }
        return conf;
    }
}
