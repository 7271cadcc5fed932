package org.dragonflymle.connector;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.EndpointUri.Direction;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.connector.file.EventLineFormat;
import org.dragonflymle.connector.file.FileLineSink;
import org.dragonflymle.connector.file.GzipInput;
import org.dragonflymle.connector.kafka.KafkaConnector;
import org.dragonflymle.connector.socket.SocketUri;
import org.dragonflymle.connector.socket.sink.SocketSink;
import org.dragonflymle.connector.socket.source.SocketSource;
import org.dragonflymle.connector.tail.TailSource;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * Maps config.lua URIs to Flink sources and sinks: the one place that knows which scheme is served
 * by which connector. Sources are uid'd {@code source:TAG} and sinks {@code output:TAG}.
 */
public final class Connectors implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PipelineSpec spec;

    public Connectors(PipelineSpec spec) {
        this.spec = spec;
    }

    /** The raw lines of an input stage's URI. */
    public DataStream<Event> source(StreamExecutionEnvironment env, StageSpec input)
            throws ConfigException {
        URI uri = URI.create(input.uri());
        String name = "source:" + input.tag();
        switch (uri.getScheme()) {
            case "file", "zfile" -> {
                Path file = localPath(uri);
                int max = spec.limits().maxEventBytes();
                EventLineFormat format;
                try {
                    format =
                            uri.getScheme().equals("zfile")
                                    ? GzipInput.format(file, max)
                                    : new EventLineFormat(max);
                } catch (IllegalArgumentException e) {
                    throw badUri(input.describe(), uri, e);
                }
                FileSource<Event> source =
                        FileSource.forRecordStreamFormat(
                                        format, new org.apache.flink.core.fs.Path(file.toUri()))
                                .build();
                return env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                name,
                                EventTypeInfo.INSTANCE)
                        .uid(name)
                        .setParallelism(1);
            }
            case "kafka" -> {
                return KafkaConnector.source(env, spec, input);
            }
            case "ipc", "unix" -> {
                SocketSource source =
                        new SocketSource(
                                socketUri(input.describe(), input.uri(), Direction.INPUT),
                                spec.limits().maxEventBytes());
                return env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                name,
                                EventTypeInfo.INSTANCE)
                        .uid(name)
                        .setParallelism(1);
            }
            case "tail" -> {
                TailSource source;
                try {
                    source =
                            TailSource.fromUriPath(
                                    EndpointUri.parse(input.uri()).path(),
                                    spec.limits().maxEventBytes());
                } catch (IllegalArgumentException e) {
                    throw badUri(input.describe(), uri, e);
                }
                return env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                name,
                                EventTypeInfo.INSTANCE)
                        .uid(name)
                        .setParallelism(1);
            }
            default -> throw unsupported(input.describe(), uri);
        }
    }

    /** Attaches the sink of {@code output} to {@code events}. */
    public void sink(DataStream<Event> events, OutputSpec output) throws ConfigException {
        URI uri = URI.create(output.uri());
        String name = "output:" + output.tag();
        switch (uri.getScheme()) {
            case "file" -> {
                Path file = localPath(uri);
                // log4j appends the engine's own log to this file too: never cut it back
                boolean shared = file.equals(spec.logDir().resolve("dragonfly-mle.log"));
                events.sinkTo(shared ? FileLineSink.withoutRollback(file) : new FileLineSink(file))
                        .name(name)
                        .uid(name)
                        .setParallelism(1);
            }
            case "kafka" -> KafkaConnector.sink(events, spec, output);
            case "ipc", "unix" ->
                    events.sinkTo(
                                    new SocketSink(
                                            socketUri(
                                                    output.describe(),
                                                    output.uri(),
                                                    Direction.OUTPUT)))
                            .name(name)
                            .uid(name)
                            .setParallelism(1);
            default -> throw unsupported(output.describe(), uri);
        }
    }

    private static Path localPath(URI uri) {
        return Path.of(uri.getPath());
    }

    private ConfigException badUri(String entry, URI uri, IllegalArgumentException e) {
        return new ConfigException(
                spec.configFile() + ": " + entry + ": uri " + uri + ": " + e.getMessage());
    }

    private SocketUri socketUri(String entry, String uri, Direction direction)
            throws ConfigException {
        try {
            return SocketUri.parse(uri, direction);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    spec.configFile()
                            + ": "
                            + entry
                            + ": uri "
                            + EndpointUri.redact(uri)
                            + ": "
                            + e.getMessage());
        }
    }

    private ConfigException unsupported(String entry, URI uri) {
        return new ConfigException(
                spec.configFile()
                        + ": "
                        + entry
                        + ": uri "
                        + uri
                        + ": the "
                        + uri.getScheme()
                        + ":// connector is not available in this build");
    }

    /** Whether {@code failure} says a file system was full (an output, a checkpoint, a log). */
    public static boolean isFileSystemFull(Throwable failure) {
        return org.dragonflymle.connector.file.OutputFailedException.isFull(failure);
    }

    /** The message of the file output that failed within {@code failure}, or null. */
    public static String failedOutputMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.dragonflymle.connector.file.OutputFailedException o) {
                return o.getMessage();
            }
        }
        return null;
    }

    /** The socket files the engine binds for the {@code ipc://} and {@code unix://} inputs. */
    public static java.util.List<java.nio.file.Path> boundSocketFiles(PipelineSpec spec) {
        java.util.List<java.nio.file.Path> paths = new java.util.ArrayList<>();
        for (org.dragonflymle.config.StageSpec input : spec.inputs()) {
            String uri = input.uri();
            if (uri.startsWith("ipc:") || uri.startsWith("unix:")) {
                try {
                    paths.add(
                            java.nio.file.Path.of(
                                    org.dragonflymle.connector.socket.SocketUri.parse(
                                                    uri,
                                                    org.dragonflymle.config.EndpointUri.Direction
                                                            .INPUT)
                                            .path()));
                } catch (IllegalArgumentException e) {
                    // validated already: nothing bound there
                }
            }
        }
        return paths;
    }
}
