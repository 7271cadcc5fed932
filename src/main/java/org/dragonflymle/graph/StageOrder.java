package org.dragonflymle.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.config.StageSpec;

/**
 * Orders analyzers so that every analyzer comes after all stages that route to it, which is the
 * order the job generator must create Flink operators in. Config validation has already refused
 * cycles, so this is a plain topological sort (stable: config order among independent stages).
 */
final class StageOrder {

    private StageOrder() {}

    static List<StageSpec> analyzersInRouteOrder(List<StageSpec> analyzers) {
        Map<String, StageSpec> byTag = new LinkedHashMap<>();
        analyzers.forEach(a -> byTag.put(a.tag(), a));
        Map<String, Integer> incoming = new HashMap<>();
        byTag.keySet().forEach(t -> incoming.put(t, 0));
        for (StageSpec a : analyzers) {
            for (String target : a.analyzerRoutes()) {
                if (byTag.containsKey(target) && !target.equals(a.tag())) {
                    incoming.merge(target, 1, Integer::sum);
                }
            }
        }
        List<StageSpec> ordered = new ArrayList<>();
        List<StageSpec> remaining = new ArrayList<>(analyzers);
        while (!remaining.isEmpty()) {
            StageSpec next =
                    remaining.stream()
                            .filter(a -> incoming.get(a.tag()) == 0)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "routing cycle among "
                                                            + remaining.stream()
                                                                    .map(StageSpec::tag)
                                                                    .toList()));
            remaining.remove(next);
            ordered.add(next);
            for (String target : next.analyzerRoutes()) {
                if (byTag.containsKey(target) && !target.equals(next.tag())) {
                    incoming.merge(target, -1, Integer::sum);
                }
            }
        }
        return ordered;
    }
}
