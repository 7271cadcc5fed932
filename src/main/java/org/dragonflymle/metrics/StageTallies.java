package org.dragonflymle.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accumulators {@code operator.StageMetrics} registers, by name, and the reading of them on the
 * launcher side: {@code dragonfly.<tag>.in}, {@code .bytes_in}, {@code .out}, {@code .drops},
 * {@code .errors.<reason>}, {@code .to_output.<output tag>}. Flink sums each over the stage's
 * parallel instances.
 */
public final class StageTallies {

    public static final String PREFIX = "dragonfly.";
    public static final String IN = "in";
    public static final String BYTES_IN = "bytes_in";
    public static final String OUT = "out";
    public static final String DROPS = "drops";
    public static final String ERRORS = "errors.";
    public static final String TO_OUTPUT = "to_output.";

    /** One stage's figures, summed over its instances. */
    public record Stage(
            long in,
            long bytesIn,
            long out,
            long drops,
            Map<String, Long> errors,
            Map<String, Long> toOutput) {
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private StageTallies() {}

    public static String name(String tag, String what) {
        return PREFIX + tag + "." + what;
    }

    /** The figures of stage {@code tag} in an accumulator map (absent ones are 0). */
    public static Stage read(Map<String, Object> accumulators, String tag) {
        String p = PREFIX + tag + ".";
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> outputs = new LinkedHashMap<>();
        long in = 0, bytes = 0, out = 0, drops = 0;
        for (Map.Entry<String, Object> e : accumulators.entrySet()) {
            if (!e.getKey().startsWith(p) || !(e.getValue() instanceof Number n)) {
                continue;
            }
            String what = e.getKey().substring(p.length());
            long v = n.longValue();
            switch (what) {
                case IN -> in = v;
                case BYTES_IN -> bytes = v;
                case OUT -> out = v;
                case DROPS -> drops = v;
                default -> {
                    if (what.startsWith(ERRORS)) {
                        if (v > 0) {
                            errors.put(what.substring(ERRORS.length()), v);
                        }
                    } else if (what.startsWith(TO_OUTPUT)) {
                        outputs.put(what.substring(TO_OUTPUT.length()), v);
                    }
                }
            }
        }
        return new Stage(in, bytes, out, drops, errors, outputs);
    }
}
