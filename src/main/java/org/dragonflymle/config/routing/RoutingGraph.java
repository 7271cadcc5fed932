package org.dragonflymle.config.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a cycle among analyzer routes. A Flink job graph is acyclic, and an event that can come
 * back to an analyzer it passed could circulate forever, so a cycle is a config error. Inputs
 * cannot be routed to and outputs route nowhere, so only analyzer-to-analyzer edges matter.
 */
public final class RoutingGraph {

    private enum State {
        ON_PATH,
        DONE
    }

    private RoutingGraph() {}

    /**
     * @param edges every analyzer's tag (in config order) to the analyzer tags it routes to;
     *     targets that are not keys are ignored
     * @return the first cycle found, as a closed walk {@code [a, b, c, a]}; deterministic for a
     *     given iteration order of {@code edges} and its collections
     */
    public static Optional<List<String>> findCycle(
            Map<String, ? extends Collection<String>> edges) {
        Map<String, State> states = new HashMap<>();
        List<String> path = new ArrayList<>();
        for (String start : edges.keySet()) {
            List<String> cycle = visit(start, edges, states, path);
            if (cycle != null) {
                return Optional.of(cycle);
            }
        }
        return Optional.empty();
    }

    private static List<String> visit(
            String node,
            Map<String, ? extends Collection<String>> edges,
            Map<String, State> states,
            List<String> path) {
        State state = states.get(node);
        if (state == State.DONE) {
            return null;
        }
        if (state == State.ON_PATH) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        states.put(node, State.ON_PATH);
        path.add(node);
        for (String next : edges.get(node)) {
            if (edges.containsKey(next)) {
                List<String> cycle = visit(next, edges, states, path);
                if (cycle != null) {
                    return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        states.put(node, State.DONE);
        return null;
    }
}
