package org.dragonflymle.ml.store;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.ModelException;
import org.dragonflymle.redis.RedisCommandExecutor;

/**
 * Read-modify-write of one model in Redis, retried until it lands on the version it read (see
 * {@link ModelStore}): what every {@code SET}, {@code ADD}, {@code SCALE} etc. does. A change that
 * leaves the model as it is writes nothing, so parallel instances whose {@code setup()} loads the
 * same model do not make each other reload it. Not thread-safe.
 */
public final class ModelWriter {

    /** Attempts before a write gives up on a model others keep changing. */
    static final int MAX_ATTEMPTS = 32;

    private final ModelStore store;
    private final ModelCache cache;

    /** A change to store: the whole model ({@code replace}) or some of its fields. */
    public record Change(ModelType type, boolean replace, Map<String, byte[]> fields) {}

    public ModelWriter(ModelStore store, ModelCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /**
     * Stores {@code fields} as the whole model at {@code key}, unless the key holds a model of
     * another type; keeps {@code compiled} (if not null) as this instance's copy.
     */
    public void replace(
            RedisCommandExecutor redis,
            byte[] key,
            ModelType type,
            Map<String, byte[]> fields,
            Object compiled) {
        String[] names = fields.keySet().toArray(new String[0]);
        byte[] version =
                update(
                        redis,
                        key,
                        names,
                        current -> {
                            requireType(key, current, type);
                            if (current != null && sameFields(current.fields(), fields)) {
                                return null;
                            }
                            return new Change(type, true, fields);
                        });
        if (compiled != null) {
            cache.put(redis, key, type, version, compiled);
        } else {
            cache.remove(key);
        }
    }

    /**
     * Reads {@code fields} of the model at {@code key}, asks {@code change} what to store (null =
     * nothing), and stores it if nobody changed the model meanwhile, else starts again.
     *
     * @param change gets the snapshot (null when there is no key); may throw {@link ModelException}
     * @return the version the model has afterwards
     */
    public byte[] update(
            RedisCommandExecutor redis,
            byte[] key,
            String[] fields,
            Function<ModelStore.Snapshot, Change> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ModelStore.Snapshot current = store.read(redis, key, fields);
            Change c = change.apply(current);
            if (c == null) {
                if (current == null) {
                    throw new IllegalStateException("nothing to keep and nothing stored");
                }
                return current.version();
            }
            byte[] expected = current == null ? null : current.version();
            byte[] written = store.write(redis, key, expected, c.type(), c.replace(), c.fields());
            if (written != null) {
                cache.remove(key);
                return written;
            }
        }
        throw ModelException.err(
                "gave up after "
                        + MAX_ATTEMPTS
                        + " attempts: other clients kept changing key '"
                        + CommandArgs.printable(key)
                        + "'");
    }

    /** Fails unless the snapshot is absent or of {@code type}. */
    public static void requireType(byte[] key, ModelStore.Snapshot current, ModelType type) {
        if (current != null && current.type() != type) {
            throw ModelException.wrongType(
                    "key '"
                            + CommandArgs.printable(key)
                            + "' holds "
                            + current.type().noun()
                            + ", not "
                            + type.noun());
        }
    }

    private static boolean sameFields(Map<String, byte[]> stored, Map<String, byte[]> wanted) {
        for (Map.Entry<String, byte[]> f : wanted.entrySet()) {
            if (!Arrays.equals(stored.get(f.getKey()), f.getValue())) {
                return false;
            }
        }
        return true;
    }
}
