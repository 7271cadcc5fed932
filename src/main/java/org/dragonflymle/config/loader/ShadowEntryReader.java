package org.dragonflymle.config.loader;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.routing.RouteScanner;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads the {@code shadow} field of analyzer entries: {@code shadow = { script = "dga-v2.lua",
 * redis_db = 2 }}. The script is found and compiled like any analyzer's ({@link ScriptFiles});
 * unknown fields are refused (a misspelt {@code redis_db} would otherwise let the shadow write into
 * a database nobody meant); {@code redis_db} is 0..15, not the live one, not another shadow's, and
 * impossible on a Redis Cluster (database 0 only). Left out, the launcher picks the next free
 * database at start.
 */
final class ShadowEntryReader {

    static final Set<String> FIELDS = Set.of("script", "redis_db");

    private static final String EXAMPLE = "{ script=\"dga-v2.lua\", redis_db=2 }";

    private ShadowEntryReader() {}

    /**
     * @param entries the analyzers table's entries, in order
     * @param analyzers the valid analyzers (an entry with a problem has none, and its shadow is not
     *     read)
     * @return shadows by live tag
     */
    static Map<String, ShadowSpec> readAll(
            List<LuaValue> entries,
            List<StageSpec> analyzers,
            ScriptFiles scripts,
            TagRegistry stageTags,
            RedisSpec redis,
            Problems problems) {
        Map<String, ShadowSpec> shadows = new LinkedHashMap<>();
        Map<Integer, String> dbOwners = new HashMap<>();
        for (StageSpec live : analyzers) {
            LuaValue value = entries.get(live.index() - 1).rawget("shadow");
            if (value.isnil()) {
                continue;
            }
            EntryRef ref = new EntryRef(StageKind.ANALYZER.table(), live.index(), live.tag());
            try {
                ShadowSpec s = read(live, value, scripts, stageTags, redis);
                if (s.redisDb() != ShadowSpec.NEXT_FREE) {
                    String other = dbOwners.putIfAbsent(s.redisDb(), live.tag());
                    if (other != null) {
                        throw new InvalidEntry(
                                "shadow.redis_db = "
                                        + s.redisDb()
                                        + " is also the shadow of \""
                                        + other
                                        + "\"'s; each shadow needs a database of its own");
                    }
                }
                shadows.put(live.tag(), s);
            } catch (InvalidEntry e) {
                problems.add(ref, e.getMessage());
            }
        }
        return shadows;
    }

    private static ShadowSpec read(
            StageSpec live,
            LuaValue value,
            ScriptFiles scripts,
            TagRegistry stageTags,
            RedisSpec redis)
            throws InvalidEntry {
        if (!value.istable()) {
            throw new InvalidEntry(
                    "shadow must be a table like "
                            + EXAMPLE
                            + ", got "
                            + LuaValues.describe(value));
        }
        LuaEntry entry = new LuaEntry((LuaTable) value, "shadow.");
        List<String> unknown = entry.unknownFields(FIELDS);
        if (!unknown.isEmpty()) {
            throw new InvalidEntry(
                    "shadow has unknown fields "
                            + String.join(", ", unknown)
                            + " (it takes script and redis_db)");
        }
        String name = ShadowSpec.operatorName(live.tag());
        if (stageTags.owner(name) != null) {
            throw new InvalidEntry(
                    "the shadow runs as \""
                            + name
                            + "\", which is already the tag of "
                            + stageTags.owner(name).describe());
        }
        ScriptFiles.Script script =
                scripts.check(StageKind.ANALYZER, entry.requiredString("script", FIELDS));
        int db = ShadowSpec.NEXT_FREE;
        if (entry.has("redis_db")) {
            Long n = LuaValues.integer(entry.raw("redis_db"), false, 0, ShadowSpec.MAX_DB);
            if (n == null) {
                throw new InvalidEntry(
                        "shadow.redis_db must be an integer 0.."
                                + ShadowSpec.MAX_DB
                                + ", got "
                                + LuaValues.describe(entry.raw("redis_db")));
            }
            db = n.intValue();
            if (db == redis.database()) {
                throw new InvalidEntry(
                        "shadow.redis_db = "
                                + db
                                + " is the live analyzers' database (redis_db); the shadow's Redis"
                                + " writes must land apart");
            }
        }
        if (redis.topology() instanceof org.dragonflymle.config.RedisTopology.Cluster) {
            throw new InvalidEntry(
                    "a shadow needs a Redis database of its own, and a Redis Cluster has only"
                            + " database 0");
        }
        Set<String> extra = new LinkedHashSet<>();
        for (RouteScanner.LiteralRoute r : RouteScanner.scan(script.source())) {
            if (r.target() == RouteScanner.Target.ANALYZER
                    && stageTags.isOwnedBy(r.tag(), "analyzers")
                    && !r.tag().equals(live.tag())) {
                extra.add(r.tag());
            }
        }
        return new ShadowSpec(
                live.tag(),
                script.path().toString(),
                db,
                RouteScanner.namesHiredis(script.source()),
                extra);
    }
}
