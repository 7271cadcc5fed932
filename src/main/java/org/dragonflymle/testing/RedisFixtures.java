package org.dragonflymle.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dragonflymle.lua.compat.LuaToString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.resps.Tuple;

/**
 * A test's Redis: {@code redis = {...}} and {@code redis_commands} before the run, {@code
 * expect.redis} after it. Keys take the same shapes both ways:
 *
 * <pre>{@code
 * ["k"] = "v"  or  42                  a string key (numbers as Lua's tostring writes them)
 * ["h"] = { hash = { f = "v", ... } }  a hash (expect: only the fields named; ABSENT allowed)
 * ["l"] = { list = { "a", "b" } }      a list, in order
 * ["s"] = { set = { "a", "b" } }       a set, any order
 * ["z"] = { zset = { m = 1.5, ... } }  a sorted set, member = score
 * ["k"] = ABSENT | ANY | like("^1")    (expect only)
 * }</pre>
 */
final class RedisFixtures {

    private final Jedis jedis;

    RedisFixtures(Jedis jedis) {
        this.jedis = jedis;
    }

    /** Empties the database, then writes the fixture and runs the commands. */
    void load(AnalyzerTest test) throws TestFileException {
        jedis.flushAll();
        for (LuaValue k : test.redisFixture().keys()) {
            String key = k.tojstring();
            LuaValue v = test.redisFixture().get(k);
            String where = test.name() + ": redis[\"" + key + "\"]";
            if (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER) {
                jedis.set(key, text(v));
            } else if (v.istable() && v.get("hash").istable()) {
                Map<String, String> h = new HashMap<>();
                for (LuaValue f : ((LuaTable) v.get("hash")).keys()) {
                    h.put(f.tojstring(), text(v.get("hash").get(f)));
                }
                jedis.hset(key, h);
            } else if (v.istable() && v.get("list").istable()) {
                jedis.rpush(key, strings(v.get("list")).toArray(new String[0]));
            } else if (v.istable() && v.get("set").istable()) {
                jedis.sadd(key, strings(v.get("set")).toArray(new String[0]));
            } else if (v.istable() && v.get("zset").istable()) {
                for (LuaValue m : ((LuaTable) v.get("zset")).keys()) {
                    jedis.zadd(key, v.get("zset").get(m).checkdouble(), m.tojstring());
                }
            } else {
                throw new TestFileException(
                        where
                                + ": a value is a string, a number, or {hash=}, {list=}, {set=},"
                                + " {zset=}; got "
                                + LuaShow.show(v));
            }
        }
        for (List<String> c : test.redisCommands()) {
            try {
                jedis.sendCommand(command(c.get(0)), c.subList(1, c.size()).toArray(new String[0]));
            } catch (RuntimeException e) {
                throw new TestFileException(
                        test.name() + ": redis_commands " + c + ": " + e.getMessage());
            }
        }
    }

    /** Compares Redis with {@code expected}, adding a line per difference. */
    void check(LuaTable expected, JsonMatcher matcher, List<String> failures) {
        for (LuaValue k : expected.keys()) {
            String key = k.tojstring();
            LuaValue v = expected.get(k);
            String what = "redis key " + key;
            String type = jedis.type(key);
            TestHelpers.Matcher m = TestHelpers.matcher(v);
            if (m != null && m.kind() == TestHelpers.Kind.ABSENT) {
                if (!type.equals("none")) {
                    failures.add(
                            what
                                    + ": expected ABSENT, but it exists ("
                                    + type
                                    + ")"
                                    + now(key, type));
                }
                continue;
            }
            if (type.equals("none")) {
                failures.add(
                        what + ": expected " + LuaShow.show(v) + ", but the key does not exist");
                continue;
            }
            if (m != null && m.kind() == TestHelpers.Kind.ANY) {
                continue;
            }
            if (m != null || v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER) {
                if (!type.equals("string")) {
                    failures.add(
                            what
                                    + ": expected the string "
                                    + LuaShow.show(v)
                                    + ", but it holds a "
                                    + type);
                    continue;
                }
                String actual = jedis.get(key);
                boolean ok = m != null ? matcher.helpersLike(actual, m) : actual.equals(text(v));
                if (!ok) {
                    failures.add(
                            what + ": expected " + LuaShow.show(v) + ", got \"" + actual + "\"");
                }
            } else if (v.istable() && v.get("hash").istable()) {
                if (expectType(what, type, "hash", failures)) {
                    Map<String, String> h = jedis.hgetAll(key);
                    for (LuaValue f : ((LuaTable) v.get("hash")).keys()) {
                        String field = f.tojstring();
                        LuaValue ev = v.get("hash").get(f);
                        TestHelpers.Matcher fm = TestHelpers.matcher(ev);
                        String av = h.get(field);
                        String fw = what + " field " + field;
                        if (fm != null && fm.kind() == TestHelpers.Kind.ABSENT) {
                            if (av != null) {
                                failures.add(fw + ": expected ABSENT, got \"" + av + "\"");
                            }
                        } else if (av == null) {
                            failures.add(
                                    fw
                                            + ": expected "
                                            + LuaShow.show(ev)
                                            + ", but the field does not exist");
                        } else if (fm != null
                                ? !matcher.helpersLike(av, fm)
                                : !av.equals(text(ev))) {
                            failures.add(
                                    fw + ": expected " + LuaShow.show(ev) + ", got \"" + av + "\"");
                        }
                    }
                }
            } else if (v.istable() && v.get("list").istable()) {
                if (expectType(what, type, "list", failures)) {
                    List<String> actual = jedis.lrange(key, 0, -1);
                    List<String> exp = strings(v.get("list"));
                    if (!actual.equals(exp)) {
                        failures.add(what + ": expected list " + exp + ", got " + actual);
                    }
                }
            } else if (v.istable() && v.get("set").istable()) {
                if (expectType(what, type, "set", failures)) {
                    Set<String> actual = new TreeSet<>(jedis.smembers(key));
                    Set<String> exp = new TreeSet<>(strings(v.get("set")));
                    if (!actual.equals(exp)) {
                        failures.add(what + ": expected set " + exp + ", got " + actual);
                    }
                }
            } else if (v.istable() && v.get("zset").istable()) {
                if (expectType(what, type, "zset", failures)) {
                    Map<String, Double> actual = new HashMap<>();
                    for (Tuple t : jedis.zrangeWithScores(key, 0, -1)) {
                        actual.put(t.getElement(), t.getScore());
                    }
                    Map<String, Double> exp = new HashMap<>();
                    for (LuaValue mem : ((LuaTable) v.get("zset")).keys()) {
                        exp.put(mem.tojstring(), v.get("zset").get(mem).todouble());
                    }
                    if (!actual.equals(exp)) {
                        failures.add(what + ": expected zset " + exp + ", got " + actual);
                    }
                }
            } else {
                failures.add(what + ": cannot compare with " + LuaShow.show(v));
            }
        }
    }

    private static boolean expectType(
            String what, String actual, String wanted, List<String> failures) {
        if (!actual.equals(wanted)) {
            failures.add(what + ": expected a " + wanted + ", but it holds a " + actual);
            return false;
        }
        return true;
    }

    private String now(String key, String type) {
        return type.equals("string") ? ": \"" + jedis.get(key) + "\"" : "";
    }

    private static String text(LuaValue v) {
        return LuaToString.of(v).tojstring();
    }

    private static List<String> strings(LuaValue list) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= list.length(); i++) {
            out.add(text(list.get(i)));
        }
        return out;
    }

    private static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        return () -> raw;
    }
}
