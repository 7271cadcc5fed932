package org.dragonflymle.testutils;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka (KRaft, combined controller+broker) from the Kafka jars on the test
 * classpath, run in a child JVM ({@link KafkaBrokerMain}) so a test can stop or kill it like a real
 * broker and start it again on the same ports with the same data.
 *
 * <p>Loopback only, free ports, a temporary log directory deleted by {@link #close()}, small
 * segments and single-replica internal topics (offsets, transactions), so transactions work on one
 * node. Listeners: PLAINTEXT ({@link #bootstrapServers()}) and SASL_PLAINTEXT with mechanism PLAIN
 * ({@link #saslBootstrapServers()}, user {@link #SASL_USER}, password {@link #SASL_PASSWORD}).
 *
 * <p>The helpers (topics, producing, reading what is committed) open a client per call, so they
 * work across restarts of the broker.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String SASL_USER = "dragonfly";
    public static final String SASL_PASSWORD = "n0t-in-any-log-7f3a9c";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final int saslPort;
    private final int controllerPort;
    private final String clusterId = Uuid.randomUuid().toString();
    private Process process;

    private KafkaBroker(Path dir, int port, int saslPort, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.saslPort = saslPort;
        this.controllerPort = controllerPort;
    }

    /** A broker on free loopback ports, not started yet. */
    public static KafkaBroker create() {
        try {
            return new KafkaBroker(
                    Files.createTempDirectory("kafka-broker-"), freePort(), freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker (again, with its data), returning once it answers requests. */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        try {
            Path config = writeConfig();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath =
                    System.getProperty(
                            "surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder pb =
                    new ProcessBuilder(
                            java,
                            "-Xmx384m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-Djava.net.preferIPv4Stack=true",
                            "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                            "-cp",
                            classpath,
                            KafkaBrokerMain.class.getName(),
                            config.toString(),
                            clusterId);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        return this;
    }

    /** Shuts the broker down cleanly; its data stays for the next {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException processGone) {
            // already exiting
        }
        waitFor(Duration.ofSeconds(30));
    }

    /** Kills the broker process (SIGKILL) as a crash would; its data stays. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port} of the SASL_PLAINTEXT (PLAIN) listener. */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** The client {@code sasl.jaas.config} for {@link #SASL_USER}. */
    public static String saslJaasConfig() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + SASL_USER
                + "\" password=\""
                + SASL_PASSWORD
                + "\";";
    }

    /** The broker's own log (server.log) and its console output, for failure messages. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("broker.out", "server.log")) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                try {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    sb.append("--- ").append(name).append('\n');
                    lines.subList(Math.max(0, lines.size() - 60), lines.size())
                            .forEach(l -> sb.append(l).append('\n'));
                } catch (IOException e) {
                    sb.append(e).append('\n');
                }
            }
        }
        return sb.toString();
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** Writes {@code values} (UTF-8) to {@code topic}, acknowledged by the broker on return. */
    public void produce(String topic, List<String> values) {
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Writes {@code values} to {@code topic} in a transaction that is then aborted. */
    public void produceAborted(String topic, List<String> values) {
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-aborted-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            producer.abortTransaction();
        }
    }

    /**
     * Everything a {@code read_committed} consumer sees in {@code topic} now, from the beginning:
     * partition by partition, each in offset order.
     */
    public List<String> readCommitted(String topic) {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .sorted(Comparator.comparingInt(TopicPartition::partition))
                            .toList();
            List<String> values = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                // under read_committed this is the last stable offset
                long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                while (consumer.position(tp, READ_TIMEOUT) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("timed out reading " + tp);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return values;
        }
    }

    /** Polls {@link #readCommitted} until {@code done} accepts what it returns. */
    public List<String> awaitCommitted(String topic, Predicate<List<String>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = readCommitted(topic);
        while (!done.test(values)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after "
                                + timeout
                                + " waiting on the committed contents of "
                                + topic
                                + " ("
                                + values.size()
                                + " records)");
            }
            Thread.sleep(250);
            values = readCommitted(topic);
        }
        return values;
    }

    /** The offsets {@code group} has committed, by partition. */
    public Map<TopicPartition, Long> committedOffsets(String group) {
        try (Admin admin = Admin.create(clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> out.put(tp, om == null ? null : om.offset()));
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot list offsets of group " + group, e);
        }
    }

    /** Properties for a plain client of this broker. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    @Override
    public synchronized void close() {
        if (isRunning()) {
            kill();
        }
        deleteRecursively(dir);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> props = clientProperties();
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited with " + process.exitValue() + "\n" + logs());
                }
                try {
                    // a KRaft broker opens its listeners once it is unfenced, i.e. ready
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes()
                            .get();
                    return;
                } catch (ExecutionException notYet) {
                    // keep waiting
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            "the Kafka broker did not start within "
                                    + START_TIMEOUT
                                    + "\n"
                                    + logs());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kafka broker", e);
        }
    }

    private Path writeConfig() throws IOException {
        Path data = dir.resolve("data");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + port
                        + ",SASL_PLAINTEXT://127.0.0.1:"
                        + saslPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.setProperty(
                "advertised.listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        p.setProperty(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN");
        p.setProperty(
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                        + SASL_USER
                        + "=\""
                        + SASL_PASSWORD
                        + "\";");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "true");
        // one node: every internal topic has one replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // after a kill the restarted node may register only once its old session has expired
        p.setProperty("broker.session.timeout.ms", "2000");
        p.setProperty("broker.heartbeat.interval.ms", "500");
        // small and light: this machine is shared
        p.setProperty("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        Path config = dir.resolve("server.properties");
        try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "single-node KRaft broker for tests");
        }
        Files.writeString(
                dir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "status = warn",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = " + dir.resolve("server.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d %-5p [%c{1}] %m%n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        ""));
        return config;
    }

    private void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
