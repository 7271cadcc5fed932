package org.dragonflymle.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One validated input or analyzer of config.lua: the script it runs and every tag it may route to.
 * The route sets are complete: the job generator draws one edge per entry, so a tag a script can
 * reach at run time must be in them (defaults, literal tags found in the script, {@code routes}).
 *
 * @param kind input or analyzer
 * @param index 1-based position in its config.lua table, for messages ({@code analyzers[3]})
 * @param tag unique name of the stage; also its Flink operator name and uid
 * @param uri the input's URI; {@code null} for analyzers
 * @param script absolute path of the Lua script
 * @param defaultAnalyzer the {@code default_analyzer} global; {@code null} when not configured,
 *     {@code ""} for a sink that routes nowhere
 * @param defaultOutput the {@code default_output} global; {@code null} when not configured
 * @param key dotted field path events are partitioned by; {@code null} for none
 * @param parallelism instances of the stage
 * @param analyzerRoutes analyzer tags this stage may send events to
 * @param outputRoutes output tags this stage may write to
 * @param callsRedis whether the script names {@code hiredis}: such a stage spends most of its time
 *     waiting for Redis round trips, and the job generator gives it a thread of its own
 * @param concurrency Lua states per instance working on different events at once, their Redis
 *     commands pipelined on one shared connection; 1 (the default) is one state, one event at a
 *     time (docs/performance.md)
 */
public record StageSpec(
        StageKind kind,
        int index,
        String tag,
        String uri,
        Path script,
        String defaultAnalyzer,
        String defaultOutput,
        String key,
        int parallelism,
        Set<String> analyzerRoutes,
        Set<String> outputRoutes,
        boolean callsRedis,
        int concurrency)
        implements Serializable {

    /** The largest {@code concurrency} a stage may ask for. */
    public static final int MAX_CONCURRENCY = 64;

    /** One Lua state per instance ({@code concurrency = 1}). */
    public StageSpec(
            StageKind kind,
            int index,
            String tag,
            String uri,
            Path script,
            String defaultAnalyzer,
            String defaultOutput,
            String key,
            int parallelism,
            Set<String> analyzerRoutes,
            Set<String> outputRoutes,
            boolean callsRedis) {
        this(
                kind,
                index,
                tag,
                uri,
                script,
                defaultAnalyzer,
                defaultOutput,
                key,
                parallelism,
                analyzerRoutes,
                outputRoutes,
                callsRedis,
                1);
    }

    /**
     * Flink ships the spec to TaskManagers with Java serialization, which {@link Path} does not
     * support: the script path travels as a string.
     */
    private Object writeReplace() {
        return new Serialized(
                kind,
                index,
                tag,
                uri,
                script.toString(),
                defaultAnalyzer,
                defaultOutput,
                key,
                parallelism,
                Set.copyOf(analyzerRoutes),
                Set.copyOf(outputRoutes),
                callsRedis,
                concurrency);
    }

    private record Serialized(
            StageKind kind,
            int index,
            String tag,
            String uri,
            String script,
            String defaultAnalyzer,
            String defaultOutput,
            String key,
            int parallelism,
            Set<String> analyzerRoutes,
            Set<String> outputRoutes,
            boolean callsRedis,
            int concurrency)
            implements Serializable {
        private Object readResolve() {
            return new StageSpec(
                    kind,
                    index,
                    tag,
                    uri,
                    Path.of(script),
                    defaultAnalyzer,
                    defaultOutput,
                    key,
                    parallelism,
                    analyzerRoutes,
                    outputRoutes,
                    callsRedis,
                    Math.max(1, concurrency));
        }
    }

    /** How messages name this entry: {@code analyzers[3] (tag "triage")}. */
    public String describe() {
        return kind.table() + "[" + index + "] (tag \"" + tag + "\")";
    }

    /** The script's path relative to ROOT, as users wrote it, for messages. */
    public String scriptName() {
        for (Path dir = script.getParent(); dir != null; dir = dir.getParent()) {
            if (dir.getFileName() != null
                    && dir.getFileName().toString().equals(kind.scriptDir())) {
                return kind.scriptDir() + "/" + dir.relativize(script);
            }
        }
        return script.toString();
    }

    public List<String> sortedAnalyzerRoutes() {
        return analyzerRoutes.stream().sorted().toList();
    }

    /** As the record's, with secrets in the URI (Kafka SASL settings) masked. */
    @Override
    public String toString() {
        return "StageSpec[kind="
                + kind
                + ", index="
                + index
                + ", tag="
                + tag
                + ", uri="
                + (uri == null ? null : EndpointUri.redact(uri))
                + ", script="
                + script
                + ", defaultAnalyzer="
                + defaultAnalyzer
                + ", defaultOutput="
                + defaultOutput
                + ", key="
                + key
                + ", parallelism="
                + parallelism
                + ", analyzerRoutes="
                + analyzerRoutes
                + ", outputRoutes="
                + outputRoutes
                + "]";
    }
}
