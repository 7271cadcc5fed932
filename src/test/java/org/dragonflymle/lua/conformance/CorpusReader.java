package org.dragonflymle.lua.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a corpus file of src/test/resources/conformance: cases separated by lines {@code --- name}
 * (names unique per file); everything up to the next such line is the case's Lua code.
 */
final class CorpusReader {

    /** The corpus files, one per library group. */
    static final List<String> GROUPS =
            List.of(
                    "patterns",
                    "format",
                    "strings",
                    "numbers",
                    "os",
                    "math",
                    "table",
                    "base",
                    "metamethods",
                    "errors",
                    "bit",
                    "cjson",
                    "load");

    private CorpusReader() {}

    static List<ConformanceCase> read(String group) {
        String text;
        try (InputStream in =
                CorpusReader.class.getResourceAsStream("/conformance/" + group + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("no corpus file conformance/" + group + ".lua");
            }
            text = Batches.text(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ConformanceCase> cases = new ArrayList<>();
        String name = null;
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("--- ")) {
                if (name != null) {
                    cases.add(new ConformanceCase(group + "." + name, code.toString(), false));
                }
                name = line.substring(4).strip();
                code.setLength(0);
            } else if (name != null) {
                code.append(line).append('\n');
            }
        }
        if (name != null) {
            cases.add(new ConformanceCase(group + "." + name, code.toString(), false));
        }
        return cases;
    }
}
