package org.dragonflymle.lua.conformance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The batch encoding the driver reads, and the result lines it writes. Strings are bytes. */
final class Batches {

    private Batches() {}

    /** Length-prefixed fields, as the driver's {@code field} reads them. */
    static String encode(List<ConformanceCase> cases) {
        StringBuilder sb = new StringBuilder();
        for (ConformanceCase c : cases) {
            field(sb, c.name());
            field(sb, c.code());
        }
        return sb.toString();
    }

    static void field(StringBuilder sb, String s) {
        sb.append(s.length()).append(':').append(s);
    }

    /** A generated case's code: its kind and length-prefixed arguments. */
    static String generated(String kind, String... args) {
        StringBuilder sb = new StringBuilder(kind).append('\t');
        for (String a : args) {
            field(sb, a);
        }
        return sb.toString();
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** name → outcome from the driver's output lines. */
    static Map<String, String> results(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                out.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return out;
    }
}
