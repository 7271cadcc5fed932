package org.dragonflymle.connector.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client properties of a {@code kafka://} URI: the query parameters that are not engine
 * options ({@link KafkaUriOptions}). They are checked at the edge, before the job starts, against
 * the client's own definitions (so {@code acks=banana} stops the start with Kafka's explanation,
 * not a failing task), and keys the engine sets itself are refused with the way to say it instead.
 *
 * <p>Values may be secrets ({@code sasl.jaas.config}, {@code ssl.key.password}, ...): every message
 * built here passes through {@link #mask}, and {@link #toString()} shows keys only.
 */
final class KafkaClientProperties {

    /** Names that mark a secret value; as the config loader's masking of URIs. */
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(pass|secret|jaas|token|credential).*");

    static final String MASK = "***";

    private final Map<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /**
     * The query parameters of a URI that are not engine options.
     *
     * @param query all query parameters, in URI order
     * @param engineKeys the engine options of this direction
     * @param otherDirectionKeys engine options of the other direction, refused with a hint
     * @param reserved client keys the engine sets itself, mapped to how to say it instead
     */
    static KafkaClientProperties of(
            Map<String, String> query,
            Set<String> engineKeys,
            Map<String, String> otherDirectionKeys,
            Map<String, String> reserved) {
        Map<String, String> client = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            String key = e.getKey();
            if (engineKeys.contains(key)) {
                continue;
            }
            if (otherDirectionKeys.containsKey(key)) {
                throw new IllegalArgumentException(key + "= " + otherDirectionKeys.get(key));
            }
            if (reserved.containsKey(key)) {
                throw new IllegalArgumentException(
                        "query parameter " + key + " is set by the engine; " + reserved.get(key));
            }
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("query parameter " + key + " has no value");
            }
            client.put(key, e.getValue());
        }
        return new KafkaClientProperties(client);
    }

    /** Sets {@code key} unless the URI did. */
    KafkaClientProperties withDefault(String key, String value) {
        properties.putIfAbsent(key, value);
        return this;
    }

    /** Removes and returns {@code key}, or null. */
    String take(String key) {
        return properties.remove(key);
    }

    /**
     * Checks every value against the client's definitions and returns the keys the client does not
     * know (passed on as they are: plugins may read them; a typo is the likelier cause).
     *
     * @param definitions the client's config ({@code ConsumerConfig.configDef()}, ...)
     * @param required values the client needs that the engine supplies (bootstrap servers,
     *     (de)serializers), for the check only
     * @param alsoKnown keys read by the Flink connector rather than the Kafka client
     * @throws IllegalArgumentException naming the property and the problem, secrets masked
     */
    List<String> validate(
            ConfigDef definitions, Map<String, String> required, Set<String> alsoKnown) {
        Map<String, Object> all = new LinkedHashMap<>(required);
        all.putAll(properties);
        try {
            definitions.parse(all);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("Kafka client property: " + mask(e.getMessage()));
        }
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(properties.keySet())) {
            if (!definitions.names().contains(key) && !alsoKnown.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** A copy of the properties, secrets included: for the Kafka clients only. */
    Map<String, String> asMap() {
        return new LinkedHashMap<>(properties);
    }

    /** Those of {@code properties} an Admin client understands (for the engine's broker probe). */
    static Map<String, String> forAdmin(Map<String, String> properties) {
        Map<String, String> admin = new LinkedHashMap<>();
        properties.forEach(
                (k, v) -> {
                    if (AdminClientConfig.configNames().contains(k)) {
                        admin.put(k, v);
                    }
                });
        return admin;
    }

    /** {@code text} with every secret value of {@code properties} replaced by {@value #MASK}. */
    static String mask(String text, Map<String, String> properties) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String value = e.getValue();
            // as the config loader: a value this short would garble the text and reveal nothing
            if (isSecret(e.getKey()) && value != null && value.length() >= 3) {
                out = out.replace(value, MASK);
            }
        }
        return out;
    }

    String mask(String text) {
        return mask(text, properties);
    }

    static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** Keys only: values may be secrets. */
    @Override
    public String toString() {
        return properties.keySet().toString();
    }
}
