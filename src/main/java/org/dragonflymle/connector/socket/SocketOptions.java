package org.dragonflymle.connector.socket;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * The options of {@code ipc://} and {@code unix://} inputs, given as URI query parameters ({@code
 * ipc:///run/dragonfly/eve.sock?buffer=200000&overflow=block}). Outputs take none.
 */
public final class SocketOptions {

    /** What an input does when the job does not keep up and its buffer is full. */
    public enum Overflow {
        /**
         * Keep draining the socket and drop the events that do not fit, counted: the sensor is
         * never slowed down by the engine.
         */
        DROP,
        /**
         * Stop reading until there is room again: the kernel's socket queue fills up and the sender
         * blocks (Suricata stalls), nothing is dropped by the engine.
         */
        BLOCK
    }

    public static final ConfigOption<Integer> BUFFER_EVENTS =
            key("buffer")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "Events received but not yet taken by the job, at most. A receiver"
                                    + " thread fills this buffer even while the job is"
                                    + " backpressured; see overflow.");

    public static final ConfigOption<MemorySize> BUFFER_BYTES =
            key("buffer_bytes")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Bytes of events in the buffer, at most; whichever of buffer and"
                                    + " buffer_bytes is reached first makes the buffer full. One"
                                    + " event is always accepted into an empty buffer.");

    public static final ConfigOption<Overflow> OVERFLOW =
            key("overflow")
                    .enumType(Overflow.class)
                    .defaultValue(Overflow.DROP)
                    .withDescription(
                            "drop: when the buffer is full, received events are dropped and"
                                    + " counted (metric droppedEvents, a log line at most every"
                                    + " 10 s); block: stop reading until there is room, which"
                                    + " blocks the sender.");

    private SocketOptions() {}
}
