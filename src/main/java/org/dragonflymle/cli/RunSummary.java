package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.metrics.StageTallies;
import org.dragonflymle.operator.RouteTags;

/**
 * The lines printed when a run ends: wall time, events read and their rate, then per stage events
 * in, out, dropped and errors by reason, then what reached each output.
 *
 * <pre>
 * dragonfly-mle: finished in 3.2 s: 1,090 events read, 340 events/s
 *   eve       in 1,090  out 1,071  dropped 19  errors 0
 *   counter   in 1,071  out 1,071  dropped 0   errors 2 (script_error 2)
 *   outputs: events 1,071, errors 2, log 0, stats 0
 * </pre>
 */
final class RunSummary {

    private RunSummary() {}

    /**
     * @param ended how the first line says the run ended: {@code finished in}, {@code stopped
     *     after}
     */
    static void print(
            PipelineSpec spec,
            Map<String, Object> acc,
            long wallMillis,
            String ended,
            PrintStream err) {
        long read = 0;
        for (StageSpec s : spec.inputs()) {
            read += StageTallies.read(acc, s.tag()).in();
        }
        err.println(
                String.format(
                        Locale.ROOT,
                        "dragonfly-mle: %s %.1f s: %,d events read, %,.0f events/s",
                        ended,
                        wallMillis / 1000.0,
                        read,
                        wallMillis <= 0 ? 0.0 : read * 1000.0 / wallMillis));
        List<StageSpec> stages = new ArrayList<>(spec.inputs());
        stages.addAll(spec.analyzers());
        int width = stages.stream().mapToInt(s -> s.tag().length()).max().orElse(4);
        Map<String, Long> outputs = new LinkedHashMap<>();
        for (OutputSpec o : spec.outputs()) {
            outputs.put(o.tag(), 0L);
        }
        outputs.put(RouteTags.LOG_OUTPUT, 0L);
        outputs.put(RouteTags.STATS_OUTPUT, 0L);
        for (StageSpec s : stages) {
            StageTallies.Stage t = StageTallies.read(acc, s.tag());
            StringBuilder errors =
                    new StringBuilder(String.format(Locale.ROOT, "%,d", t.errorCount()));
            if (!t.errors().isEmpty()) {
                List<String> parts = new ArrayList<>();
                t.errors().forEach((r, n) -> parts.add(r + " " + n));
                errors.append(" (").append(String.join(", ", parts)).append(')');
            }
            err.println(
                    String.format(
                            Locale.ROOT,
                            "  %-" + width + "s  in %,d  out %,d  dropped %,d  errors %s",
                            s.tag(),
                            t.in(),
                            t.out(),
                            t.drops(),
                            errors));
            t.toOutput().forEach((o, n) -> outputs.merge(o, n, Long::sum));
        }
        List<String> parts = new ArrayList<>();
        outputs.forEach(
                (o, n) ->
                        parts.add(
                                (o.equals(RouteTags.LOG_OUTPUT)
                                                ? "log"
                                                : o.equals(RouteTags.STATS_OUTPUT) ? "stats" : o)
                                        + String.format(Locale.ROOT, " %,d", n)));
        err.println("  outputs: " + String.join(", ", parts));
        ShadowSummary.print(spec, acc, err);
    }
}
