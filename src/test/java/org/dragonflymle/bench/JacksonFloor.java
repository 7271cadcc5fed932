package org.dragonflymle.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's floor: a plain single-threaded Java loop that reads the same lines, parses each
 * with Jackson, serialises it again and writes it out. What any JSON pipeline on this JVM must at
 * least pay; the engine's figures are reported as a ratio to it.
 *
 * <p>Usage: {@code JacksonFloor INPUT OUTPUT}.
 */
public final class JacksonFloor {

    private JacksonFloor() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
                OutputStream out =
                        new BufferedOutputStream(
                                Files.newOutputStream(Path.of(args[1])), 1 << 18)) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode tree = mapper.readTree(line);
                mapper.writeValue(out, tree);
                out.write('\n');
                n++;
            }
        }
        System.err.println("jackson floor: " + n + " lines");
    }
}
