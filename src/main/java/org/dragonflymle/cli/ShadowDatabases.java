package org.dragonflymle.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.redis.server.RedisProbe;

/**
 * Chooses the Redis database of each shadow analyzer that config.lua gave none ({@link
 * ShadowSpec#NEXT_FREE}) and says it, one line per shadow: the first database after the live one
 * ({@code redis_db}) that is empty (DBSIZE 0) when the launcher asks and that no other shadow uses.
 * A choice is kept for the rest of the run, so a reload does not move a shadow away from the data
 * it wrote. On a Sentinel deployment nothing is probed: {@code shadow.redis_db} must be given.
 */
final class ShadowDatabases {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PrintStream err;
    private final Map<String, Integer> chosen = new HashMap<>();

    ShadowDatabases(PrintStream err) {
        this.err = err;
    }

    /**
     * @param running the pipeline as the job runs it (its Redis the one scripts reach)
     * @param probe whether to ask Redis (false for {@code --explain}: the next database is shown)
     * @throws ConfigException when no database can be chosen
     */
    PipelineSpec choose(PipelineSpec running, boolean probe) throws ConfigException {
        if (running.shadows().isEmpty()) {
            return running;
        }
        RedisSpec redis = running.redis();
        Set<Integer> taken = new HashSet<>();
        running.shadows().values().stream()
                .filter(s -> s.redisDb() != ShadowSpec.NEXT_FREE)
                .forEach(s -> taken.add(s.redisDb()));
        Map<String, ShadowSpec> out = new LinkedHashMap<>();
        for (ShadowSpec s : running.shadows().values()) {
            ShadowSpec done = s;
            if (s.redisDb() == ShadowSpec.NEXT_FREE) {
                Integer db = chosen.get(s.tag());
                if (db == null || taken.contains(db)) {
                    db = probe ? firstEmpty(running, s, taken) : next(redis.database(), taken);
                }
                taken.add(db);
                done = s.withRedisDb(db);
            }
            Integer before = chosen.put(s.tag(), done.redisDb());
            out.put(s.tag(), done);
            if (probe && (before == null || before != done.redisDb())) {
                err.println(
                        "dragonfly-mle: shadow of \""
                                + s.tag()
                                + "\" ("
                                + running.root().relativize(s.scriptPath())
                                + ") uses Redis database "
                                + done.redisDb()
                                + (s.redisDb() == ShadowSpec.NEXT_FREE
                                        ? " (the first empty one after redis_db "
                                                + redis.database()
                                                + ")"
                                        : " (shadow.redis_db)")
                                + "; differences go to "
                                + running.logDir().resolve(ShadowSpec.diffFile(s.tag())));
            }
        }
        return running.withShadows(out);
    }

    private static int next(int from, Set<Integer> taken) {
        for (int db = from + 1; db <= ShadowSpec.MAX_DB; db++) {
            if (!taken.contains(db)) {
                return db;
            }
        }
        return from + 1;
    }

    private int firstEmpty(PipelineSpec running, ShadowSpec s, Set<Integer> taken)
            throws ConfigException {
        RedisSpec redis = running.redis();
        String where = running.configFile() + ": the shadow of \"" + s.tag() + "\": ";
        if (!redis.isStandalone()) {
            throw new ConfigException(
                    where + "set shadow.redis_db (with Sentinel no free database is looked for)");
        }
        for (int db = redis.database() + 1; db <= ShadowSpec.MAX_DB; db++) {
            if (taken.contains(db)) {
                continue;
            }
            long keys;
            try {
                keys = RedisProbe.dbSize(redis, db, TIMEOUT);
            } catch (RuntimeException e) {
                throw new ConfigException(
                        where
                                + "cannot ask Redis "
                                + redis.address()
                                + " for an empty database ("
                                + e.getMessage()
                                + "); set shadow.redis_db");
            }
            if (keys == 0) {
                return db;
            }
        }
        throw new ConfigException(
                where
                        + "no empty Redis database after redis_db "
                        + redis.database()
                        + " (up to "
                        + ShadowSpec.MAX_DB
                        + "); set shadow.redis_db");
    }
}
