package org.dragonflymle.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * The Flink web dashboard of a local run: bound to 127.0.0.1 only (a sensor's dashboard is not for
 * the network), on the first free port from 8081 to 8199 (Flink binds it, so two runs never race
 * for one port), job submission through the page turned off. Anything the user set with {@code
 * --rest.*} or {@code --web.*} wins.
 *
 * <p>A local run's own MiniCluster says which port it bound ({@link #knownAt}); otherwise {@link
 * #locate} asks each port of the range for this run's job, which only our dashboard knows.
 *
 * <p>Also makes the task managers report accumulators every second ({@code heartbeat.interval}),
 * which is what the launcher's progress line reads.
 */
final class LocalDashboard {

    static final String HOST = "127.0.0.1";
    static final int FIRST_PORT = 8081;
    static final int LAST_PORT = 8199;

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    /** The first answer about a new job can take a while on a busy machine. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final String host;
    private final int firstPort;
    private final int lastPort;
    private String url;
    private Supplier<URI> known;

    private LocalDashboard(String host, int firstPort, int lastPort) {
        this.host = host;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    /** Adds the dashboard's settings to {@code conf} (a local run's configuration). */
    static LocalDashboard configure(Configuration conf) {
        if (!conf.contains(RestOptions.BIND_ADDRESS)) {
            conf.set(RestOptions.BIND_ADDRESS, HOST);
        }
        if (!conf.contains(RestOptions.ADDRESS)) {
            conf.set(RestOptions.ADDRESS, HOST);
        }
        int first = FIRST_PORT;
        int last = LAST_PORT;
        if (conf.contains(RestOptions.BIND_PORT)) {
            String p = conf.get(RestOptions.BIND_PORT).trim();
            if (p.matches("\\d+")) {
                first = last = Integer.parseInt(p);
            } else if (p.matches("\\d+-\\d+")) {
                first = Integer.parseInt(p.substring(0, p.indexOf('-')));
                last = Integer.parseInt(p.substring(p.indexOf('-') + 1));
            } else {
                first = last = -1;
            }
        } else if (conf.contains(RestOptions.PORT)) {
            first = last = conf.get(RestOptions.PORT);
        } else {
            conf.set(RestOptions.BIND_PORT, FIRST_PORT + "-" + LAST_PORT);
        }
        if (!conf.contains(WebOptions.SUBMIT_ENABLE)) {
            conf.set(WebOptions.SUBMIT_ENABLE, false);
        }
        if (!conf.contains(HeartbeatManagerOptions.HEARTBEAT_INTERVAL)) {
            conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        }
        String host = conf.get(RestOptions.BIND_ADDRESS);
        return new LocalDashboard(host.equals("0.0.0.0") ? HOST : host, first, last);
    }

    /** The ports the dashboard (Flink's REST API) may bind: never reachable from scripts. */
    org.dragonflymle.config.Capabilities.PortRange ports() {
        return firstPort < 0
                ? new org.dragonflymle.config.Capabilities.PortRange(1, 65535)
                : new org.dragonflymle.config.Capabilities.PortRange(firstPort, lastPort);
    }

    /**
     * The dashboard's address as the cluster that serves it says (a local run's own MiniCluster),
     * so that {@link #locate} asks no port.
     *
     * @param address the address, or null while it is not known
     */
    void knownAt(Supplier<URI> address) {
        this.known = address;
    }

    /**
     * Finds the dashboard that serves {@code job} (call once the job is submitted).
     *
     * @return whether it was found; {@link #url()} is set then
     */
    boolean locate(JobID job) {
        if (known != null) {
            URI address = known.get();
            if (address != null) {
                url = address.toString().endsWith("/") ? address.toString() : address + "/";
            }
            return address != null;
        }
        if (firstPort < 0) {
            return false;
        }
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(CONNECT_TIMEOUT)
                        .build();
        for (int port = firstPort; port <= lastPort; port++) {
            String candidate = "http://" + host + ":" + port + "/";
            try {
                HttpResponse<Void> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(candidate + "jobs/" + job))
                                        .timeout(ANSWER_TIMEOUT)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    url = candidate;
                    return true;
                }
            } catch (IOException e) {
                // nothing there, or not ours: try the next port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The dashboard's address once {@link #locate} found it, else null. */
    String url() {
        return url;
    }

    /** The page of one job. */
    String jobUrl(JobID job) {
        return url == null ? null : url + "#/job/running/" + job + "/overview";
    }
}
