package org.dragonflymle.ml.command;

import org.dragonflymle.ml.model.LinearModel;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.PredictionFormat;
import org.dragonflymle.ml.store.ModelCache;
import org.dragonflymle.ml.store.ModelCodec;
import org.dragonflymle.ml.store.ModelWriter;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * {@code ML.LINREG.SET/PREDICT} and {@code ML.LOGREG.SET/PREDICT}. A prediction is the bulk string
 * of the value ({@link PredictionFormat}); it needs exactly as many features as the model has
 * coefficients. Not thread-safe (reuses a feature buffer).
 */
final class RegressionCommands {

    private final ModelCache cache;
    private final ModelWriter writer;
    private double[] features = new double[32];
    private final byte[] text = new byte[PredictionFormat.MAX_LENGTH];

    RegressionCommands(ModelCache cache, ModelWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    /** {@code SET key intercept coefficient [coefficient ...]}. */
    RespReply set(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(3, Integer.MAX_VALUE);
        double intercept = args.number(2, "intercept");
        double[] coefficients = new double[args.count() - 2];
        args.numbers(3, coefficients, "coefficient");
        LinearModel model = new LinearModel(intercept, coefficients);
        writer.replace(redis, args.key(), ModelType.REGRESSION, ModelCodec.encode(model), model);
        return RespReply.OK;
    }

    /** {@code PREDICT key feature [feature ...]}, linear or logistic. */
    RespReply predict(CommandArgs args, RedisCommandExecutor redis, boolean logistic) {
        args.requireCount(2, Integer.MAX_VALUE);
        LinearModel model = (LinearModel) cache.get(redis, args.key(), ModelType.REGRESSION);
        int n = args.count() - 1;
        if (n != model.features()) {
            throw args.error(
                    "the model has "
                            + model.features()
                            + " coefficients, so it needs "
                            + model.features()
                            + " features; got "
                            + n);
        }
        double[] x = buffer(n);
        args.numbers(2, x, "feature");
        double y = logistic ? model.logistic(x) : model.linear(x);
        return RespReply.bulk(PredictionFormat.format(y, text));
    }

    private double[] buffer(int n) {
        if (features.length < n) {
            features = new double[Math.max(n, features.length * 2)];
        }
        return features;
    }
}
