package org.dragonflymle.connector.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kafka://} inputs and outputs (docs/connectors/kafka.md), on Flink's {@link KafkaSource}
 * and {@link KafkaSink}.
 *
 * <p>Input: each record value is one raw event line; offsets live in Flink's checkpoints (a restart
 * resumes exactly there) and are committed to the consumer group on each completed checkpoint.
 * Output: each event is one record value; exactly-once through Kafka transactions committed on
 * checkpoints when checkpointing is on, at-least-once otherwise. Both wait for Kafka with a clear
 * message when it is down at start ({@link BrokerProbe}).
 *
 * <p>URIs are checked here, before the job starts: a bad parameter or client property is a {@link
 * ConfigException} naming config.lua, the entry and the problem, with secrets masked.
 */
public final class KafkaConnector {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnector.class);

    private KafkaConnector() {}

    /** The raw lines of kafka input {@code input}, uid'd and named {@code source:TAG}. */
    public static DataStream<Event> source(
            StreamExecutionEnvironment env, PipelineSpec spec, StageSpec input)
            throws ConfigException {
        KafkaInputSpec in =
                checked(
                        spec,
                        input.describe(),
                        input.uri(),
                        () -> KafkaInputSpec.parse(input.tag(), input.uri()));
        warnUnknown(in.describe(), "consumer", in.unknownProperties());
        KafkaSource<Event> kafka =
                checked(
                        spec,
                        input.describe(),
                        input.uri(),
                        () -> kafkaSource(in, spec.limits().maxEventBytes()));
        BrokerProbe probe =
                new BrokerProbe(
                        in.describe(),
                        in.bootstrapServers(),
                        in.topic(),
                        KafkaClientProperties.forAdmin(in.clientProperties()));
        String name = "source:" + input.tag();
        return env.fromSource(
                        new BrokerAwaitingSource(kafka, probe),
                        WatermarkStrategy.noWatermarks(),
                        name,
                        EventTypeInfo.INSTANCE)
                .uid(name)
                .setParallelism(input.parallelism());
    }

    /**
     * Attaches kafka output {@code output} to {@code events}, uid'd and named {@code output:TAG}.
     */
    public static void sink(DataStream<Event> events, PipelineSpec spec, OutputSpec output)
            throws ConfigException {
        KafkaOutputSpec out =
                checked(
                        spec,
                        output.describe(),
                        output.uri(),
                        () -> KafkaOutputSpec.parse(output.tag(), output.uri()));
        warnUnknown(out.describe(), "producer", out.unknownProperties());
        CheckpointConfig checkpoints = events.getExecutionEnvironment().getCheckpointConfig();
        DeliveryGuarantee guarantee =
                checked(
                        spec,
                        output.describe(),
                        output.uri(),
                        () -> out.guarantee(checkpoints.isCheckpointingEnabled()));
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            checkTransactionTimeout(spec, output, out, checkpoints.getCheckpointInterval());
        }
        BrokerProbe probe =
                new BrokerProbe(
                        out.describe(),
                        out.bootstrapServers(),
                        out.topic(),
                        KafkaClientProperties.forAdmin(out.clientProperties()));
        KafkaSink<Event> sink =
                checked(
                        spec,
                        output.describe(),
                        output.uri(),
                        () ->
                                KafkaSink.<Event>builder()
                                        .setBootstrapServers(out.bootstrapServers())
                                        .setKafkaProducerConfig(properties(out.clientProperties()))
                                        .setRecordSerializer(
                                                new EventRecordSerializer(out.topic(), probe))
                                        .setDeliveryGuarantee(guarantee)
                                        .setTransactionalIdPrefix(out.transactionalIdPrefix())
                                        .build());
        LOG.info("{}: delivery {}", out.describe(), guarantee);
        String name = "output:" + output.tag();
        events.sinkTo(sink).name(name).uid(name).setParallelism(1);
    }

    private static KafkaSource<Event> kafkaSource(KafkaInputSpec in, int maxEventBytes) {
        KafkaSourceBuilder<Event> builder =
                KafkaSource.<Event>builder()
                        .setBootstrapServers(in.bootstrapServers())
                        .setTopics(in.topic())
                        .setDeserializer(new EventRecordDeserializer(maxEventBytes))
                        .setProperties(properties(in.clientProperties()));
        boolean fromEnd = in.withoutCommittedOffset() == OffsetResetStrategy.LATEST;
        if (in.group() != null) {
            builder.setGroupId(in.group())
                    .setStartingOffsets(
                            OffsetsInitializer.committedOffsets(in.withoutCommittedOffset()));
        } else {
            builder.setStartingOffsets(
                    fromEnd ? OffsetsInitializer.latest() : OffsetsInitializer.earliest());
            LOG.info(
                    "{}: no group= given: offsets are kept in checkpoints only, and a start"
                            + " without a checkpoint reads from the {} of the topic",
                    in.describe(),
                    fromEnd ? "end" : "beginning");
        }
        if (in.stopAt() == KafkaUriOptions.StopAt.LATEST) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A transaction must outlive the checkpoint interval, or the broker aborts it before the
     * checkpoint that would commit it completes, and every event in it is lost.
     */
    private static void checkTransactionTimeout(
            PipelineSpec spec, OutputSpec output, KafkaOutputSpec out, long intervalMillis)
            throws ConfigException {
        long timeout =
                Long.parseLong(
                        out.clientProperties().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        if (intervalMillis > 0 && timeout <= intervalMillis) {
            throw problem(
                    spec,
                    output.describe(),
                    output.uri(),
                    "transaction.timeout.ms="
                            + timeout
                            + " is not longer than the checkpoint interval of "
                            + Duration.ofMillis(intervalMillis).toSeconds()
                            + " s: every transaction would be aborted before its checkpoint"
                            + " commits it");
        }
    }

    private static void warnUnknown(String who, String client, List<String> unknown) {
        if (!unknown.isEmpty()) {
            LOG.warn(
                    "{}: {} {} not known to the Kafka {}; passed on as given (a typo?)",
                    who,
                    unknown.size() == 1 ? "property" : "properties",
                    String.join(", ", unknown),
                    client);
        }
    }

    private static Properties properties(Map<String, String> map) {
        Properties props = new Properties();
        props.putAll(map);
        return props;
    }

    /** Runs a check or a builder, turning its complaint into a ConfigException for the entry. */
    private static <T> T checked(PipelineSpec spec, String entry, String uri, Supplier<T> step)
            throws ConfigException {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw problem(spec, entry, uri, e.getMessage());
        }
    }

    private static ConfigException problem(
            PipelineSpec spec, String entry, String uri, String message) {
        return new ConfigException(
                spec.configFile() + ": " + entry + ": uri " + masked(uri) + ": " + message);
    }

    private static String masked(String uri) {
        try {
            return EndpointUri.parse(uri).toString();
        } catch (IllegalArgumentException e) {
            return EndpointUri.redact(uri);
        }
    }
}
