package org.dragonflymle.ml.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.dragonflymle.ml.model.Forest;
import org.dragonflymle.ml.model.KMeansModel;
import org.dragonflymle.ml.model.LinearModel;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.ModelException;
import org.dragonflymle.redis.RedisCommandExecutor;

/**
 * The in-process, compiled copy of every model this instance scores with, so a prediction costs no
 * Redis round trip.
 *
 * <p><b>Freshness.</b> A copy is used without asking Redis for {@code refreshNanos} after it was
 * last confirmed; the first use after that sends one {@code HGET key version}: the same version
 * confirms the copy for another interval, a new one reloads the model ({@code HGETALL}) and
 * compiles it again. So a change made by another instance (or a restart that stored a new model) is
 * seen within one interval, and an unchanged model costs one small round trip per interval per
 * model. Changes through this interceptor are seen at once: a write replaces or drops the copy, and
 * a script's own {@code DEL}, {@code FLUSHDB} etc. mark copies for re-checking ({@link #expire},
 * {@link #expireAll}). A copy confirmed through one connection is re-checked the first time it is
 * used through another (which may point at another Redis or database).
 *
 * <p>At most {@value #MAX_MODELS} models are kept; one more empties the cache. Not thread-safe: one
 * per interceptor, used from the script's thread.
 */
public final class ModelCache {

    static final int MAX_MODELS = 1024;

    private final ModelStore store;
    private final LongSupplier nanoClock;
    private final long refreshNanos;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Key probe = new Key();

    /** One compiled model and when it was last confirmed. */
    private static final class Entry {
        final ModelType type;
        final byte[] version;
        final Object model;
        long checkedAt;
        RedisCommandExecutor checkedBy;

        Entry(ModelType type, byte[] version, Object model) {
            this.type = type;
            this.version = version;
            this.model = model;
        }
    }

    /** A key's bytes as a map key; the probe instance is re-pointed for lookups. */
    private static final class Key {
        byte[] bytes;
        int hash;

        Key set(byte[] b) {
            bytes = b;
            hash = Arrays.hashCode(b);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    public ModelCache(ModelStore store, LongSupplier nanoClock, long refreshNanos) {
        this.store = store;
        this.nanoClock = nanoClock;
        this.refreshNanos = refreshNanos;
    }

    /**
     * The compiled model at {@code key}, which must be of {@code type}: a {@link LinearModel},
     * {@link Forest} or {@link KMeansModel}.
     *
     * @throws ModelException when there is no model, a model of another type, or an unreadable one
     */
    public Object get(RedisCommandExecutor redis, byte[] key, ModelType type) {
        Entry e = entries.get(probe.set(key));
        long now = nanoClock.getAsLong();
        if (e != null && (e.checkedBy != redis || now - e.checkedAt >= refreshNanos)) {
            byte[] current = store.version(redis, key);
            if (current != null && Arrays.equals(current, e.version)) {
                e.checkedAt = now;
                e.checkedBy = redis;
            } else {
                entries.remove(probe.set(key));
                e = null;
            }
        }
        if (e == null) {
            e = load(redis, key, now);
        }
        if (e.type != type) {
            throw ModelException.wrongType(
                    "key '"
                            + CommandArgs.printable(key)
                            + "' holds "
                            + e.type.noun()
                            + ", not "
                            + type.noun());
        }
        return e.model;
    }

    /** Keeps {@code model}, just written as {@code version}, as confirmed now through redis. */
    void put(RedisCommandExecutor redis, byte[] key, ModelType type, byte[] version, Object model) {
        Entry e = new Entry(type, version, model);
        e.checkedAt = nanoClock.getAsLong();
        e.checkedBy = redis;
        store(key, e);
    }

    /** Forgets the copy of {@code key} (after a write that changed only part of it). */
    void remove(byte[] key) {
        entries.remove(probe.set(key));
    }

    /** Makes the next use of {@code key} check its version. */
    void expire(byte[] key) {
        Entry e = entries.get(probe.set(key));
        if (e != null) {
            e.checkedBy = null;
        }
    }

    /** Makes the next use of every model check its version. */
    void expireAll() {
        for (Entry e : entries.values()) {
            e.checkedBy = null;
        }
    }

    int size() {
        return entries.size();
    }

    private Entry load(RedisCommandExecutor redis, byte[] key, long now) {
        ModelStore.Snapshot s = store.readAll(redis, key);
        if (s == null) {
            throw ModelException.err("no model at key '" + CommandArgs.printable(key) + "'");
        }
        Object model;
        try {
            model =
                    switch (s.type()) {
                        case REGRESSION -> ModelCodec.decodeRegression(s.fields());
                        case FOREST -> Forest.compile(ModelCodec.decodeForest(s.fields()));
                        case KMEANS -> ModelCodec.decodeKMeans(s.fields());
                        case MATRIX -> ModelCodec.decodeMatrix(s.fields());
                    };
        } catch (IllegalArgumentException ex) {
            throw ModelException.err(
                    "the stored "
                            + s.type().stored()
                            + " at key '"
                            + CommandArgs.printable(key)
                            + "' is unreadable: "
                            + ex.getMessage());
        }
        Entry e = new Entry(s.type(), s.version(), model);
        e.checkedAt = now;
        e.checkedBy = redis;
        store(key, e);
        return e;
    }

    private void store(byte[] key, Entry e) {
        if (entries.size() >= MAX_MODELS && !entries.containsKey(probe.set(key))) {
            entries.clear();
        }
        entries.put(new Key().set(key.clone()), e);
    }
}
