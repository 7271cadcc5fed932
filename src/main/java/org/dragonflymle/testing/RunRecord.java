package org.dragonflymle.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one test run produced, in the order it was produced. */
final class RunRecord {

    /**
     * One JSON value that reached an output or an analyzer.
     *
     * @param json the bytes, exactly as the engine would write or deliver them
     * @param from the tag of the stage that sent it
     * @param origin the test step it descends from ({@code events[2]}, {@code dns.jsonl:7}, a
     *     timer)
     */
    record Emitted(byte[] json, String from, String origin) {}

    private final Map<String, List<Emitted>> outputs = new LinkedHashMap<>();
    private final Map<String, List<Emitted>> analyzers = new LinkedHashMap<>();
    private final List<Emitted> log = new ArrayList<>();
    private final List<Emitted> stats = new ArrayList<>();
    private final Map<String, Map<String, Map<String, byte[]>>> state = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> metrics = new LinkedHashMap<>();
    private String setupFailure;
    private final List<String> shadowDiffs = new ArrayList<>();

    void shadowDiff(String line) {
        shadowDiffs.add(line);
    }

    /** With {@code --shadow}: where each shadow did something else than its live version. */
    List<String> shadowDiffs() {
        return shadowDiffs;
    }

    /** A stage's dragonfly.state (key → name → marshal bytes) and metric counters after the run. */
    void stageState(String tag, Map<String, Map<String, byte[]>> values, Map<String, Long> counts) {
        state.put(tag, values);
        metrics.put(tag, counts);
    }

    /** dragonfly.state of stage {@code tag}: key → name → marshal bytes; empty if never used. */
    Map<String, Map<String, byte[]>> state(String tag) {
        return state.getOrDefault(tag, Map.of());
    }

    /** dragonfly.metric counters of stage {@code tag}. */
    Map<String, Long> metrics(String tag) {
        return metrics.getOrDefault(tag, Map.of());
    }

    void output(String tag, Emitted e) {
        outputs.computeIfAbsent(tag, t -> new ArrayList<>()).add(e);
    }

    void analyzer(String tag, Emitted e) {
        analyzers.computeIfAbsent(tag, t -> new ArrayList<>()).add(e);
    }

    void log(Emitted e) {
        log.add(e);
    }

    void stats(Emitted e) {
        stats.add(e);
    }

    void setupFailed(String message) {
        setupFailure = message;
    }

    List<Emitted> output(String tag) {
        return outputs.getOrDefault(tag, List.of());
    }

    List<Emitted> analyzer(String tag) {
        return analyzers.getOrDefault(tag, List.of());
    }

    List<Emitted> log() {
        return log;
    }

    List<Emitted> stats() {
        return stats;
    }

    /** The message of a script whose top level or setup failed; null when all started. */
    String setupFailure() {
        return setupFailure;
    }
}
