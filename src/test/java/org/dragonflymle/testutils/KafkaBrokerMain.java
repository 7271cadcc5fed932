package org.dragonflymle.testutils;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * The child JVM behind {@link KafkaBroker}: formats the log directory on first start (as {@code
 * kafka-storage.sh format} does), runs a combined controller+broker {@link KafkaRaftServer}, and
 * shuts it down cleanly when the parent writes {@code stop} on stdin or goes away (stdin closes),
 * so a crashed test JVM never leaves a broker behind.
 *
 * <p>Arguments: the server.properties file, the cluster id.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        String clusterId = args[1];
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc =
                    StorageTool.execute(
                            new String[] {"format", "-t", clusterId, "-c", config.toString()},
                            System.out);
            if (rc != 0) {
                System.exit(rc);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("stop"));
        }
        server.shutdown();
        server.awaitShutdown();
        System.exit(0);
    }
}
