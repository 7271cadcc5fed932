package org.dragonflymle.connector.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.dragonflymle.event.Event;

/**
 * A {@link KafkaSource} whose split enumerator first waits for the brokers and the topic ({@link
 * BrokerAwaitingEnumerator}). Kafka's own enumerator fails the job when its first look at the topic
 * does not succeed in time, so a job started while Kafka is down would fail and restart until it is
 * back, with a stack trace each time; this one says once what it is waiting for and starts reading
 * when it can. Readers, splits and checkpointed state are Kafka's, unchanged.
 */
final class BrokerAwaitingSource
        implements Source<Event, KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<Event> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<Event> kafka;
    private final BrokerProbe probe;

    BrokerAwaitingSource(KafkaSource<Event> kafka, BrokerProbe probe) {
        this.kafka = kafka;
        this.probe = probe;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<Event, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return new BrokerAwaitingEnumerator(kafka.createEnumerator(context), context, probe);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint)
            throws Exception {
        return new BrokerAwaitingEnumerator(
                kafka.restoreEnumerator(context, checkpoint), context, probe);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return kafka.getProducedType();
    }
}
