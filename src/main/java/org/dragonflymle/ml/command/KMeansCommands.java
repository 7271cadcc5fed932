package org.dragonflymle.ml.command;

import org.dragonflymle.ml.model.KMeansModel;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.store.ModelCache;
import org.dragonflymle.ml.store.ModelCodec;
import org.dragonflymle.ml.store.ModelWriter;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * {@code ML.KMEANS.SET/PREDICT}. A prediction is an integer reply, the 0-based index of the nearest
 * centre; it needs exactly {@code dimensions} features. Not thread-safe (reuses a buffer).
 */
final class KMeansCommands {

    private final ModelCache cache;
    private final ModelWriter writer;
    private double[] features = new double[16];

    KMeansCommands(ModelCache cache, ModelWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    /** {@code SET key k dimensions centre-values...}. */
    RespReply set(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(4, Integer.MAX_VALUE);
        int k = args.wholeNumber(2, "k");
        int dimensions = args.wholeNumber(3, "dimensions");
        int values = args.count() - 3;
        if (k == 0 || dimensions == 0 || (long) k * dimensions != values) {
            throw args.error(
                    "k ("
                            + k
                            + ") and dimensions ("
                            + dimensions
                            + ") must be > 0 and followed by k * dimensions centre values; got "
                            + values);
        }
        double[] centers = new double[values];
        args.numbers(4, centers, "centre value");
        KMeansModel model = new KMeansModel(k, dimensions, centers);
        writer.replace(redis, args.key(), ModelType.KMEANS, ModelCodec.encode(model), model);
        return RespReply.OK;
    }

    /** {@code PREDICT key feature [feature ...]}. */
    RespReply predict(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(2, Integer.MAX_VALUE);
        KMeansModel model = (KMeansModel) cache.get(redis, args.key(), ModelType.KMEANS);
        int n = args.count() - 1;
        if (n != model.dimensions()) {
            throw args.error(
                    "the model has "
                            + model.dimensions()
                            + " dimensions, so it needs "
                            + model.dimensions()
                            + " features; got "
                            + n);
        }
        if (features.length < n) {
            features = new double[n];
        }
        args.numbers(2, features, "feature");
        return RespReply.integer(model.predict(features));
    }
}
