package org.dragonflymle.testutils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The real Suricata 7.0.10 EVE lines bundled with the tests: all 4,278 lines of
 * shared/data/eve/suricata-7.0.10-dev.jsonl (29 event types), gzipped.
 */
public final class EveSamples {

    private EveSamples() {}

    public static List<String> devLines() {
        try (InputStream in =
                        EveSamples.class.getResourceAsStream("/eve/suricata-7.0.10-dev.jsonl.gz");
                BufferedReader reader =
                        new BufferedReader(
                                new InputStreamReader(
                                        new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
