package org.dragonflymle.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Set;

/**
 * A second version of an analyzer that runs beside it on the same events and is only compared
 * ({@code shadow = { script = "dga-v2.lua", redis_db = 2 }} in the analyzer's entry): its routes
 * and outputs go nowhere but the diff, its Redis commands to a database of its own.
 *
 * @param tag the live analyzer's tag
 * @param script the shadow script, absolute, as a string ({@link Path} is not serializable)
 * @param redisDb the shadow's Redis database, or {@link #NEXT_FREE} until the launcher chose one
 * @param callsRedis whether the shadow script names {@code hiredis}
 * @param literalRoutes analyzer tags the shadow script names that the pipeline has, beyond the live
 *     stage's routes (a shadow may route differently; where to is reported, never delivered)
 */
public record ShadowSpec(
        String tag, String script, int redisDb, boolean callsRedis, Set<String> literalRoutes)
        implements Serializable {

    /** {@link #redisDb} when config.lua gave none: the launcher picks the next free one. */
    public static final int NEXT_FREE = -1;

    /** Redis's default number of databases: 0..15. */
    public static final int MAX_DB = 15;

    public ShadowSpec {
        literalRoutes = Set.copyOf(literalRoutes);
    }

    /** The operator name and uid of the shadow of stage {@code tag}. */
    public static String operatorName(String tag) {
        return tag + ".shadow";
    }

    /** Where the diff of the shadow of {@code tag} is written, under LOGDIR. */
    public static String diffFile(String tag) {
        return "shadow-" + tag + ".json";
    }

    public Path scriptPath() {
        return Path.of(script);
    }

    public ShadowSpec withRedisDb(int db) {
        return new ShadowSpec(tag, script, db, callsRedis, literalRoutes);
    }

    /**
     * The live stage as the shadow runs it: the shadow script in place of the live one, routes the
     * live's plus those the shadow script names. Messages still name the live tag.
     */
    public StageSpec stageOf(StageSpec live) {
        Set<String> routes = new java.util.LinkedHashSet<>(live.analyzerRoutes());
        routes.addAll(literalRoutes);
        return new StageSpec(
                live.kind(),
                live.index(),
                live.tag(),
                live.uri(),
                scriptPath(),
                live.defaultAnalyzer(),
                live.defaultOutput(),
                live.key(),
                live.parallelism(),
                routes,
                live.outputRoutes(),
                callsRedis);
    }
}
