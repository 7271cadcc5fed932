package org.dragonflymle.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dragonflymle.cli.Main;

/** Reading the files in deploy/ and running the engine's command lines they hold. */
final class DeployFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    /**
     * A YAML file as a tree, read by SnakeYAML (which Jackson's YAML module brings): anchors,
     * aliases and merge keys ({@code <<: *flink}) resolved, as docker compose and kubectl read it.
     */
    static JsonNode yaml(String path) throws IOException {
        try (var in = Files.newBufferedReader(Path.of(path))) {
            Object tree = new org.yaml.snakeyaml.Yaml().load(in);
            return JSON.valueToTree(tree);
        }
    }

    /** A nested YAML map as Flink reads config.yaml: keys joined with dots. */
    static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(
                        prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                        e.getValue(),
                        out);
            }
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** {@code key: value} lines, as Flink's docker entrypoint reads FLINK_PROPERTIES. */
    static Map<String, String> properties(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.isBlank()) {
                out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** The project's version of {@code property} in pom.xml (e.g. flink.version). */
    static String pomProperty(String property) throws IOException {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</")
                        .matcher(Files.readString(Path.of("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no " + property);
        }
        return m.group(1);
    }

    /** pom.xml's own version: the first version after the artifactId. */
    static String projectVersion() throws IOException {
        Matcher m =
                Pattern.compile("<artifactId>dragonfly-mle</artifactId>\\s*<version>([^<]+)</")
                        .matcher(Files.readString(Path.of("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no project version");
        }
        return m.group(1);
    }

    /** What a command line does when it is given with {@code --explain}: exit status and text. */
    record Explained(int exit, String out, String err) {}

    /**
     * Runs the engine's command line {@code args} with {@code --explain} added: every option is
     * parsed and the config and scripts are loaded and built into a job graph, nothing runs.
     */
    static Explained explain(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--explain");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(all.toArray(new String[0]), o, e);
        }
        return new Explained(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Replaces the value after {@code option} in {@code args}. */
    static List<String> withOption(List<String> args, String option, String value) {
        List<String> out = new ArrayList<>(args);
        int i = out.indexOf(option);
        if (i < 0 || i + 1 >= out.size()) {
            throw new IllegalArgumentException(args + " has no " + option + " VALUE");
        }
        out.set(i + 1, value);
        return out;
    }
}
