package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.operator.ShadowOperator;

/**
 * The run summary's line per shadow analyzer, from its operator's accumulators:
 *
 * <pre>
 *   dga.shadow  compared 1,071  identical 1,000  differing 71 (routes 0, fields 71, errors 0)
 * </pre>
 */
final class ShadowSummary {

    private ShadowSummary() {}

    static void print(PipelineSpec spec, Map<String, Object> acc, PrintStream err) {
        for (ShadowSpec s : spec.shadows().values()) {
            long[] n = new long[ShadowOperator.COUNTS.length];
            for (int i = 0; i < n.length; i++) {
                Object v =
                        acc.get(
                                ShadowOperator.ACCUMULATOR
                                        + s.tag()
                                        + " "
                                        + ShadowOperator.COUNTS[i]);
                n[i] = v instanceof Number num ? num.longValue() : 0;
            }
            err.println(
                    String.format(
                            Locale.ROOT,
                            "  %s  compared %,d  identical %,d  differing %,d (routes %,d, fields"
                                    + " %,d, errors %,d)%s  -> %s",
                            ShadowSpec.operatorName(s.tag()),
                            n[0],
                            n[1],
                            n[2],
                            n[3],
                            n[4],
                            n[5],
                            n[6] == 0
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, "  not compared %,d (switched off)", n[6]),
                            spec.logDir().resolve(ShadowSpec.diffFile(s.tag()))));
        }
    }
}
