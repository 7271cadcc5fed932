package org.dragonflymle.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the benchmark's input from a sample of real Suricata lines: the sample repeated up to the
 * wanted count, each copy with its own 64-bit {@code flow_id} (beyond 2^53, so an engine that loses
 * digits is caught by the output check), other fields as Suricata wrote them.
 */
final class BenchInput {

    private static final Pattern FLOW_ID = Pattern.compile("\"flow_id\":\\d+");
    private static final long FIRST_FLOW_ID = 1_152_921_504_606_846_976L;

    private BenchInput() {}

    static Path generate(Path source, long lines, Path dir) throws IOException {
        Path file = dir.resolve("input-" + lines + "-" + source.getFileName());
        if (Files.exists(file)) {
            return file;
        }
        List<String> sample =
                Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank())
                        .toList();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (long i = 0; i < lines; i++) {
                String line = sample.get((int) (i % sample.size()));
                String id = "\"flow_id\":" + (FIRST_FLOW_ID + i);
                Matcher m = FLOW_ID.matcher(line);
                out.write(m.find() ? m.replaceFirst(id) : "{" + id + "," + line.substring(1));
                out.write('\n');
            }
        }
        Files.move(tmp, file);
        return file;
    }
}
