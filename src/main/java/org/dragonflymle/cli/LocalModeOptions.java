package org.dragonflymle.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.BitSet;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.dragonflymle.os.CpuAffinity;

/**
 * Options of local mode only: what the launcher does on this host for a run it starts itself. A
 * cluster never reads them (its TaskManagers, and its Redis, are the deployment's). Given on the
 * command line like any Flink option: {@code --dragonfly.local.redis-cpu=last}.
 */
public final class LocalModeOptions {

    /**
     * The CPU of the redis-server the launcher starts when no Redis answers: {@code off} (the
     * default: the scheduler decides), {@code last} (the last CPU this JVM may use, away from CPU 0
     * and its interrupts) or a CPU number. Only redis-server is pinned, by itself ({@code
     * server_cpulist}); the engine's threads never are. Its measured effect is in
     * docs/performance.md.
     */
    public static final ConfigOption<String> REDIS_CPU =
            key("dragonfly.local.redis-cpu")
                    .stringType()
                    .defaultValue("off")
                    .withDescription(
                            "CPU of the redis-server started for a local run: off, last, or a"
                                    + " CPU number. Local mode only.");

    /**
     * The network memory of local mode's TaskManager: 128 of its 128 KiB buffers (Main's segment
     * size), what a pipeline of a few stages at parallelism 1 or 2 needs with room to spare, where
     * Flink's default of 64 MiB is allocated (and zeroed, so resident) at start whether used or
     * not. A wider pipeline sets more with {@code --taskmanager.memory.network.max=64mb} (and
     * {@code .min}); Flink's error says when it has too few.
     */
    static final MemorySize NETWORK_MEMORY = MemorySize.parse("16mb");

    /**
     * How much of a file a {@code file://} input reads per batch of events ({@code
     * source.file.stream.io-fetch-size}; Flink's default is 1 MiB): about 200 EVE lines. The events
     * of the batches read ahead wait on the heap for a slower pipeline, and 1 MiB batches kept
     * thousands of them alive long enough to be copied to the old generation, which then filled and
     * was collected in full every second or two (docs/performance.md, "Garbage").
     */
    static final MemorySize FILE_FETCH_SIZE = MemorySize.parse("128kb");

    private LocalModeOptions() {}

    /**
     * Sizes a local run's TaskManager for one sensor, where the user set nothing else: the network
     * memory of {@link #NETWORK_MEMORY}, and no managed memory (local mode keeps keyed state on the
     * heap; managed memory is for RocksDB and batch operators, neither of which a local run has),
     * and file inputs read in batches of {@link #FILE_FETCH_SIZE}. The heap is the JVM's ({@code
     * -Xmx}, bin/dragonfly-mle).
     */
    static void sizeForOneSensor(Configuration conf) {
        if (!conf.contains(TaskManagerOptions.NETWORK_MEMORY_MIN)
                && !conf.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)) {
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, NETWORK_MEMORY);
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, NETWORK_MEMORY);
        }
        if (!conf.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
        }
        if (!conf.contains(StreamFormat.FETCH_IO_SIZE)) {
            conf.set(StreamFormat.FETCH_IO_SIZE, FILE_FETCH_SIZE);
        }
    }

    /**
     * The CPU {@link #REDIS_CPU} names, or -1 for none; {@code last} on a JVM that may use only one
     * CPU is none.
     *
     * @throws UsageException when the value is none of off, last or a CPU this JVM may use
     */
    static int redisCpu(Configuration conf) throws UsageException {
        String v = conf.get(REDIS_CPU).trim();
        Optional<BitSet> allowed = CpuAffinity.ofThisProcess();
        if (v.equals("off")) {
            return -1;
        }
        if (v.equals("last")) {
            return allowed.filter(c -> c.cardinality() > 1).map(c -> c.length() - 1).orElse(-1);
        }
        int cpu;
        try {
            cpu = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(
                    "--" + REDIS_CPU.key() + "=" + v + ": expected off, last or a CPU number");
        }
        if (cpu < 0 || (allowed.isPresent() && !allowed.get().get(cpu))) {
            throw new UsageException(
                    "--"
                            + REDIS_CPU.key()
                            + "="
                            + v
                            + ": not a CPU this process may use"
                            + allowed.map(c -> " (" + CpuAffinity.format(c) + ")").orElse(""));
        }
        return cpu;
    }
}
