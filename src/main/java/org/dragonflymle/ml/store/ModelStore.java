package org.dragonflymle.ml.store;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.ModelException;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * Keeps Redis-ML models in Redis, one hash per model under the model's own key, so every parallel
 * instance, every restart and every TaskManager sees the same model. Storage format 1:
 *
 * <table>
 *   <caption>hash fields</caption>
 *   <tr><th>field</th><th>value</th></tr>
 *   <tr><td>{@code format}</td><td>{@code 1}, the storage format; other formats are refused</td></tr>
 *   <tr><td>{@code type}</td><td>{@code regression}, {@code forest}, {@code kmeans} or {@code
 *       matrix}</td></tr>
 *   <tr><td>{@code version}</td><td>16 random hex digits, new with every change: two versions
 *       are equal only if the model is the same</td></tr>
 *   <tr><td>the content</td><td>see {@link ModelCodec}</td></tr>
 * </table>
 *
 * <p><b>Writes are atomic compare-and-set</b>: a writer reads the version, computes the new
 * content, and stores it with one {@code EVAL} that applies it only if the version is still the one
 * it read (and replaces the version with a new random one). A writer that lost the race reads again
 * and retries, so concurrent {@code ML.FOREST.ADD}s from parallel instances never lose a tree. A
 * Lua script is one command, so a reconnect between read and write cannot break the check. Keys
 * holding anything else (a string, a hash without {@code format}) are never overwritten.
 *
 * <p>Not thread-safe (one per interceptor); every call goes through the executor it is given.
 */
public final class ModelStore {

    static final String FORMAT = "format";
    static final String TYPE = "type";
    static final String VERSION = "version";
    static final byte[] FORMAT_1 = {'1'};

    /**
     * KEYS[1] the model; ARGV: expected version ("" = no key), new version, "replace" or "update",
     * type, then field/value pairs. Returns 1 when written, 0 when the version had changed, -1 when
     * the key holds a hash that is not a model.
     */
    private static final String WRITE_SCRIPT =
            """
            local current = redis.call('HGET', KEYS[1], 'version')
            if current == false then
              if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
              if ARGV[1] ~= '' then return 0 end
            elseif current ~= ARGV[1] then
              return 0
            end
            if ARGV[3] == 'replace' then redis.call('DEL', KEYS[1]) end
            redis.call('HSET', KEYS[1], 'format', '1', 'type', ARGV[4], 'version', ARGV[2],
                       unpack(ARGV, 5))
            return 1
            """;

    private static final byte[][] HEADER = {ascii(FORMAT), ascii(TYPE), ascii(VERSION)};

    private final SplittableRandom random;

    public ModelStore() {
        this(new SplittableRandom(new SecureRandom().nextLong()));
    }

    ModelStore(SplittableRandom random) {
        this.random = random;
    }

    /** What a read found: the model's type and version and the fields asked for (absent = null). */
    public record Snapshot(ModelType type, byte[] version, Map<String, byte[]> fields) {}

    /**
     * The header and the named fields of the model at {@code key} ({@code HMGET}), or null when the
     * key does not exist.
     *
     * @throws ModelException when the key holds something that is not a model of format 1
     */
    Snapshot read(RedisCommandExecutor redis, byte[] key, String... fields) {
        List<byte[]> command = new ArrayList<>(fields.length + 5);
        command.add(ascii("HMGET"));
        command.add(key);
        command.addAll(Arrays.asList(HEADER));
        for (String f : fields) {
            command.add(ascii(f));
        }
        List<RespReply> values = array(redis.execute(command), key);
        Map<String, byte[]> found = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            byte[] v = bulk(values.get(3 + i));
            if (v != null) {
                found.put(fields[i], v);
            }
        }
        return snapshot(key, bulk(values.get(0)), bulk(values.get(1)), bulk(values.get(2)), found);
    }

    /** Every field of the model at {@code key} ({@code HGETALL}), or null when there is none. */
    public Snapshot readAll(RedisCommandExecutor redis, byte[] key) {
        List<RespReply> pairs = array(redis.execute(List.of(ascii("HGETALL"), key)), key);
        if (pairs.isEmpty()) {
            return null;
        }
        Map<String, byte[]> fields = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(
                    new String(bulk(pairs.get(i)), StandardCharsets.UTF_8), bulk(pairs.get(i + 1)));
        }
        return snapshot(
                key, fields.remove(FORMAT), fields.remove(TYPE), fields.remove(VERSION), fields);
    }

    /** The version of the model at {@code key}, or null when the key holds no version. */
    byte[] version(RedisCommandExecutor redis, byte[] key) {
        RespReply reply = redis.execute(List.of(ascii("HGET"), key, HEADER[2]));
        if (reply instanceof RespReply.BulkReply b) {
            return b.bytes();
        }
        if (reply instanceof RespReply.NilReply) {
            return null;
        }
        throw unexpected(reply, key);
    }

    /**
     * Stores {@code fields} as the model at {@code key} if its version is still {@code expected}.
     *
     * @param expected the version read before, or null when there was no key
     * @param replace true to drop every other field (a whole new model), false to update fields
     * @return the new version, or null when another writer changed the model first
     */
    byte[] write(
            RedisCommandExecutor redis,
            byte[] key,
            byte[] expected,
            ModelType type,
            boolean replace,
            Map<String, byte[]> fields) {
        byte[] version = newVersion();
        List<byte[]> command = new ArrayList<>(9 + 2 * fields.size());
        command.add(ascii("EVAL"));
        command.add(ascii(WRITE_SCRIPT));
        command.add(ascii("1"));
        command.add(key);
        command.add(expected == null ? new byte[0] : expected);
        command.add(version);
        command.add(ascii(replace ? "replace" : "update"));
        command.add(ascii(type.stored()));
        for (Map.Entry<String, byte[]> f : fields.entrySet()) {
            command.add(ascii(f.getKey()));
            command.add(f.getValue());
        }
        RespReply reply = redis.execute(command);
        if (reply instanceof RespReply.IntegerReply i) {
            if (i.value() < 0) {
                throw notAModel(key);
            }
            return i.value() == 1 ? version : null;
        }
        throw unexpected(reply, key);
    }

    private byte[] newVersion() {
        String hex = Long.toHexString(random.nextLong());
        return ascii("0".repeat(16 - hex.length()) + hex);
    }

    private static Snapshot snapshot(
            byte[] key, byte[] format, byte[] type, byte[] version, Map<String, byte[]> fields) {
        if (format == null && type == null && version == null && fields.isEmpty()) {
            return null; // HMGET of a missing key
        }
        if (format == null) {
            throw notAModel(key);
        }
        if (!Arrays.equals(format, FORMAT_1)) {
            throw ModelException.err(
                    "the model at key '"
                            + CommandArgs.printable(key)
                            + "' has storage format '"
                            + CommandArgs.printable(format)
                            + "'; this engine reads format 1");
        }
        ModelType t = type == null ? null : ModelType.ofStored(type);
        if (t == null || version == null) {
            throw ModelException.err(
                    "the model at key '"
                            + CommandArgs.printable(key)
                            + "' has no valid type or version field");
        }
        return new Snapshot(t, version, fields);
    }

    private static ModelException notAModel(byte[] key) {
        return ModelException.wrongType(
                "key '" + CommandArgs.printable(key) + "' holds a hash that is not a model");
    }

    private static List<RespReply> array(RespReply reply, byte[] key) {
        if (reply instanceof RespReply.ArrayReply a) {
            return a.elements();
        }
        throw unexpected(reply, key);
    }

    private static ModelException unexpected(RespReply reply, byte[] key) {
        if (reply instanceof RespReply.ErrorReply e) {
            if (e.message().startsWith("WRONGTYPE")) {
                return ModelException.wrongType(
                        "key '"
                                + CommandArgs.printable(key)
                                + "' holds a value that is not a model");
            }
            return ModelException.fromRedis(e.message());
        }
        if (reply instanceof RespReply.StatusReply s && s.text().equals("QUEUED")) {
            return ModelException.err("Redis-ML commands cannot run inside MULTI");
        }
        return ModelException.err(
                "unexpected reply from Redis for key '"
                        + CommandArgs.printable(key)
                        + "': "
                        + reply);
    }

    private static byte[] bulk(RespReply reply) {
        return reply instanceof RespReply.BulkReply b ? b.bytes() : null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
