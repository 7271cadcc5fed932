package org.dragonflymle.connector.socket.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;

/**
 * The counters a socket writer keeps, taken from Flink's writer metric group (or made by a test).
 *
 * @param dropped events not delivered because the listener was not there
 * @param sent events delivered to the socket
 * @param bytesSent bytes delivered, newlines included
 */
@Internal
public record WriterMetrics(Counter dropped, Counter sent, Counter bytesSent) {}
