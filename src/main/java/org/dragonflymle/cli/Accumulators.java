package org.dragonflymle.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulator maps of the jobs of one run added up: a reload ends one job and starts another, and
 * the progress line and the summary count what all of them did. Numbers are added; anything else is
 * the later job's.
 */
final class Accumulators {

    private Accumulators() {}

    /** {@code earlier} plus {@code later}, a new map. */
    static Map<String, Object> plus(Map<String, Object> earlier, Map<String, Object> later) {
        if (earlier.isEmpty()) {
            return later;
        }
        Map<String, Object> sum = new LinkedHashMap<>(earlier);
        later.forEach(
                (name, value) ->
                        sum.merge(
                                name,
                                value,
                                (a, b) ->
                                        a instanceof Number x && b instanceof Number y
                                                ? (Object) (x.longValue() + y.longValue())
                                                : b));
        return sum;
    }
}
