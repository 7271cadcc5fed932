package org.dragonflymle.cli;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter for local mode ({@code --metrics-port}), serving {@code /metrics} on
 * 127.0.0.1 only, as the local dashboard is: a sensor's metrics are not for the network unless the
 * operator says so (Flink's own {@code PrometheusReporterFactory}, given with {@code
 * --metrics.reporter.*} options, listens on every interface). The names and labels are Flink's
 * reporter's own, so one Grafana dashboard serves local mode and a cluster alike.
 *
 * <p>Flink's {@code PrometheusReporter} binds the wildcard address and keeps its registry
 * package-private; this reporter reuses everything else of {@link AbstractPrometheusReporter} and
 * reads that registry once, by reflection, to serve it on the loopback address.
 * PrometheusMetricsITCase fails if a Flink release moves it.
 */
final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

    /** The reporter's name in the configuration: {@code metrics.reporter.dragonfly.*}. */
    static final String NAME = "dragonfly";

    private final HTTPServer server;

    private LoopbackPrometheusReporter(int port) throws IOException {
        server =
                new HTTPServer(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        registry(),
                        true);
    }

    private CollectorRegistry registry() {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "this Flink's Prometheus reporter keeps no registry field; --metrics-port needs"
                            + " a LoopbackPrometheusReporter that matches it",
                    e);
        }
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    /**
     * Made by Flink from {@code metrics.reporter.dragonfly.factory.class} (listed in
     * META-INF/services, as Flink finds reporter factories).
     */
    public static final class Factory implements MetricReporterFactory {

        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            int port = Integer.parseInt(properties.getProperty("port"));
            try {
                return new LoopbackPrometheusReporter(port);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot serve metrics on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }
    }
}
