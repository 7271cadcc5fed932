package org.dragonflymle.connector.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Kafka's split enumerator only once the brokers answer and the topic exists, waiting on the
 * coordinator's worker thread so the coordinator itself stays responsive (checkpoints, readers
 * registering). Until then readers get no new splits; readers restored from a checkpoint read on
 * from their own state meanwhile.
 *
 * <p>While the job runs it asks the brokers every {@link #WATCH_INTERVAL} whether they answer, and
 * logs one line when they stop and one when they are back: the readers ride out an outage by
 * themselves (the Kafka consumer reconnects and resumes at its position), silently otherwise.
 *
 * <p>Threads: {@link #start}, the handlers and the delegate calls run on the coordinator thread;
 * the probe's calls on the worker thread, which alone uses {@link #admin} until {@link #close}.
 */
final class BrokerAwaitingEnumerator
        implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAwaitingEnumerator.class);

    static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);

    private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka;
    private final SplitEnumeratorContext<KafkaPartitionSplit> context;
    private final BrokerProbe probe;

    private volatile Admin admin;
    private volatile boolean closed;
    private long outageSince = -1;

    BrokerAwaitingEnumerator(
            SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka,
            SplitEnumeratorContext<KafkaPartitionSplit> context,
            BrokerProbe probe) {
        this.kafka = kafka;
        this.context = context;
        this.probe = probe;
    }

    @Override
    public void start() {
        context.callAsync(
                () -> {
                    probe.awaitReady(true);
                    return null;
                },
                this::startKafka);
    }

    private void startKafka(Object ignored, Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            throw new FlinkRuntimeException(probe.who() + ": waiting for Kafka failed", error);
        }
        kafka.start();
        long interval = WATCH_INTERVAL.toMillis();
        context.callAsync(this::watch, this::reportOutage, interval, interval);
    }

    private Optional<String> watch() throws InterruptedException {
        if (admin == null) {
            admin = probe.createAdmin();
        }
        return probe.check(admin, false);
    }

    private void reportOutage(Optional<String> problem, Throwable error) {
        if (closed) {
            return;
        }
        Optional<String> now = error != null ? Optional.of(probe.describe(error)) : problem;
        if (now.isPresent() && outageSince < 0) {
            outageSince = System.nanoTime();
            LOG.warn(
                    "{}: lost Kafka: {}; reading resumes where it stopped once it is back",
                    probe.who(),
                    now.get());
        } else if (now.isEmpty() && outageSince >= 0) {
            LOG.info(
                    "{}: Kafka answers again after about {} s",
                    probe.who(),
                    Duration.ofNanos(System.nanoTime() - outageSince).toSeconds());
            outageSince = -1;
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        kafka.handleSplitRequest(subtaskId, requesterHostname);
    }

    @Override
    public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
        kafka.addSplitsBack(splits, subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        kafka.addReader(subtaskId);
    }

    @Override
    public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
        return kafka.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        kafka.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        kafka.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        kafka.handleSourceEvent(subtaskId, sourceEvent);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            kafka.close();
        } finally {
            Admin a = admin;
            if (a != null) {
                a.close(Duration.ofSeconds(1));
            }
        }
    }
}
