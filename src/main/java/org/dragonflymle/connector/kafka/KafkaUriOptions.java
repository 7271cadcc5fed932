package org.dragonflymle.connector.kafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The query parameters of a {@code kafka://} URI that the engine reads itself; every other
 * parameter is a Kafka client property and goes to the consumer or producer as it is. Also the
 * client properties the engine sets unless the URI does.
 */
public final class KafkaUriOptions {

    /** Where a bounded input stops. */
    public enum StopAt {
        /** At the end offsets the partitions have when the job starts (a replay). */
        LATEST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final ConfigOption<String> GROUP =
            ConfigOptions.key("group")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Input only. The consumer group (group.id). A start without a"
                                    + " checkpoint begins at the group's committed offsets"
                                    + " (partitions without one: auto.offset.reset, default"
                                    + " earliest), and every completed checkpoint commits the"
                                    + " offsets back to the group, for lag monitoring and for the"
                                    + " next such start. Without a group nothing is committed to"
                                    + " Kafka and such a start reads the topic from the"
                                    + " beginning; after a failure the job always resumes from the"
                                    + " offsets in its checkpoint.");

    public static final ConfigOption<StopAt> BOUNDED =
            ConfigOptions.key("bounded")
                    .enumType(StopAt.class)
                    .noDefaultValue()
                    .withDescription(
                            "Input only. 'latest': stop at the end offsets found at the start, so"
                                    + " the job ends once what was in the topic is processed (a"
                                    + " replay). Unset: read forever.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY =
            ConfigOptions.key("delivery")
                    .enumType(DeliveryGuarantee.class)
                    .noDefaultValue()
                    .withDescription(
                            "Output only. exactly-once (Kafka transactions committed on each"
                                    + " checkpoint; needs checkpointing), at-least-once (flushed on"
                                    + " each checkpoint; a restart may repeat events) or none."
                                    + " Default: exactly-once when checkpointing is on, else"
                                    + " at-least-once.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("transactional.id.prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Output only. Prefix of the Kafka transactional ids of an exactly-once"
                                    + " output; default dragonfly-mle-TAG. It must stay the same"
                                    + " across restarts (it is how a restarted job aborts what its"
                                    + " previous run left open) and differ between jobs writing to"
                                    + " the same cluster.");

    /** Engine parameters an input accepts. */
    static final List<ConfigOption<?>> INPUT_OPTIONS = List.of(GROUP, BOUNDED);

    /** Engine parameters an output accepts. */
    static final List<ConfigOption<?>> OUTPUT_OPTIONS = List.of(DELIVERY, TRANSACTIONAL_ID_PREFIX);

    /**
     * Inputs read only committed records by default, so events of an aborted transaction (e.g. of
     * an upstream exactly-once job that failed) are never processed.
     */
    static final String DEFAULT_ISOLATION_LEVEL = "read_committed";

    /**
     * Kafka transaction timeout of exactly-once outputs: the broker's default maximum ({@code
     * transaction.max.timeout.ms}, 15 min; Flink's own default of 1 h is refused by a default
     * broker). A job down for longer loses the transactions it had prepared for a checkpoint.
     */
    static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** Default {@link #TRANSACTIONAL_ID_PREFIX} of the output {@code tag}. */
    static String defaultTransactionalIdPrefix(String tag) {
        return "dragonfly-mle-" + tag;
    }

    /**
     * The value of {@code option} in {@code query}, if given.
     *
     * @throws IllegalArgumentException naming the parameter and the values it accepts
     */
    static <T> Optional<T> read(Map<String, String> query, ConfigOption<T> option) {
        String raw = query.get(option.key());
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("query parameter " + option.key() + " has no value");
        }
        try {
            return Configuration.fromMap(Map.of(option.key(), raw)).getOptional(option);
        } catch (IllegalArgumentException e) {
            Class<?> type = enumType(option);
            String expected =
                    type == null
                            ? ""
                            : " (expected "
                                    + Arrays.stream(type.getEnumConstants())
                                            .map(Object::toString)
                                            .collect(Collectors.joining(", "))
                                    + ")";
            throw new IllegalArgumentException("invalid " + option.key() + "=" + raw + expected, e);
        }
    }

    /** The enum an option's values come from ({@link ConfigOption} does not say publicly). */
    private static Class<?> enumType(ConfigOption<?> option) {
        if (option == BOUNDED) {
            return StopAt.class;
        }
        if (option == DELIVERY) {
            return DeliveryGuarantee.class;
        }
        return null;
    }

    static Set<String> keys(List<ConfigOption<?>> options) {
        return options.stream().map(ConfigOption::key).collect(Collectors.toUnmodifiableSet());
    }

    private KafkaUriOptions() {}
}
