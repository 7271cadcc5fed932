package org.dragonflymle.connector.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the brokers of one {@code kafka://} endpoint whether they answer (and whether its topic
 * exists), with the endpoint's own client properties (SASL, TLS), and says in one line what is
 * wrong. The input and output connectors wait on it when they start, so Kafka being down at start
 * gives "waiting for Kafka: no broker answers at ..." once, and the job carries on by itself when
 * Kafka is back; inputs also watch it while running, for one line per outage.
 *
 * <p>Messages never contain property values that may be secrets.
 */
final class BrokerProbe implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerProbe.class);

    /** How long one check waits for an answer. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    /** Pause between failed checks. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

    /** A problem that stays the same is repeated this often. */
    static final Duration REMINDER_INTERVAL = Duration.ofMinutes(5);

    private final String who;
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> adminProperties;

    /**
     * @param who how messages name the endpoint, e.g. {@code kafka input eve (127.0.0.1:9092/eve)}
     * @param adminProperties the endpoint's client properties an Admin client knows
     */
    BrokerProbe(
            String who,
            String bootstrapServers,
            String topic,
            Map<String, String> adminProperties) {
        this.who = who;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.adminProperties = Map.copyOf(adminProperties);
    }

    String who() {
        return who;
    }

    /**
     * Blocks until a broker answers and, if {@code topicRequired}, the topic exists; logs what it
     * waits for when it has to wait. An output does not require its topic (a broker may create it
     * on the first write), but is told when it is missing.
     *
     * @throws InterruptedException when the task or coordinator is cancelled meanwhile
     */
    void awaitReady(boolean topicRequired) throws InterruptedException {
        Admin admin = null;
        try {
            long start = System.nanoTime();
            String reported = null;
            long reportedAt = 0;
            while (true) {
                long attempt = System.nanoTime();
                String problem;
                try {
                    if (admin == null) {
                        admin = createAdmin();
                    }
                    problem = check(admin, topicRequired).orElse(null);
                } catch (KafkaException e) {
                    // e.g. no bootstrap address resolves (yet): retried like an absent broker
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    problem = describe(cause);
                }
                if (problem == null) {
                    if (reported != null) {
                        LOG.info(
                                "{}: Kafka answers after {} s of waiting; starting",
                                who,
                                Duration.ofNanos(System.nanoTime() - start).toSeconds());
                    }
                    if (!topicRequired) {
                        warnIfTopicMissing(admin);
                    }
                    return;
                }
                if (!problem.equals(reported)
                        || System.nanoTime() - reportedAt > REMINDER_INTERVAL.toNanos()) {
                    LOG.warn(
                            "{}: waiting for Kafka: {} (checking every {} s; nothing is lost"
                                    + " meanwhile)",
                            who,
                            problem,
                            RETRY_INTERVAL.toSeconds());
                    reported = problem;
                    reportedAt = System.nanoTime();
                }
                long elapsed = System.nanoTime() - attempt;
                Thread.sleep(Math.max(0, (RETRY_INTERVAL.toNanos() - elapsed) / 1_000_000));
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * One check.
     *
     * @return what is wrong, for a message; empty when a broker answers (and the topic exists, if
     *     {@code topicRequired})
     */
    Optional<String> check(Admin admin, boolean topicRequired) throws InterruptedException {
        int timeout = (int) CHECK_TIMEOUT.toMillis();
        try {
            if (topicRequired) {
                admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeout))
                        .allTopicNames()
                        .get();
            } else {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout))
                        .nodes()
                        .get();
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(describe(e.getCause()));
        }
    }

    /** An Admin client with the endpoint's properties; the caller closes it. */
    Admin createAdmin() {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dragonfly-mle-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(props);
    }

    private void warnIfTopicMissing(Admin admin) throws InterruptedException {
        Optional<String> problem = check(admin, true);
        if (problem.isPresent()) {
            LOG.warn(
                    "{}: {}; writing anyway (a broker with auto.create.topics.enable creates it)",
                    who,
                    problem.get());
        }
    }

    /** What {@code error} means for a user, secrets masked. */
    String describe(Throwable error) {
        String text;
        if (error instanceof TimeoutException) {
            text = "no broker answers at " + bootstrapServers;
        } else if (error instanceof UnknownTopicOrPartitionException) {
            text = "topic " + topic + " does not exist at " + bootstrapServers;
        } else if (error instanceof AuthenticationException) {
            text = "authentication failed at " + bootstrapServers + ": " + error.getMessage();
        } else if (error instanceof AuthorizationException) {
            text = "not authorized at " + bootstrapServers + ": " + error.getMessage();
        } else {
            text = error.getClass().getSimpleName() + ": " + error.getMessage();
        }
        return KafkaClientProperties.mask(text, adminProperties);
    }
}
