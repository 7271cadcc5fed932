package org.dragonflymle.ml.command;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.dragonflymle.ml.model.Forest;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.MlCommand;
import org.dragonflymle.ml.protocol.ModelException;
import org.dragonflymle.ml.store.ModelCache;
import org.dragonflymle.ml.store.ModelStore;
import org.dragonflymle.ml.store.ModelWriter;
import org.dragonflymle.ml.store.ScriptKeyChanges;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * Answers the Redis-ML commands scripts send through {@code hiredis}, so analyzers written for the
 * C engine (which relied on the now dead Redis-ML module) run unchanged: {@code ML.LINREG.SET/
 * PREDICT}, {@code ML.LOGREG.SET/PREDICT}, {@code ML.FOREST.ADD/RUN}, {@code ML.KMEANS.SET/
 * PREDICT} and {@code ML.MATRIX.SET/GET/ADD/MULTIPLY/SCALE}, in any case, with Redis-ML's reply
 * types: status {@code OK} for writes, bulk-string predictions printed like {@code %.17g} ({@code
 * "14"}, {@code "0.017986209962091559"}), an integer for k-means, an array for {@code
 * ML.MATRIX.GET}. Any problem (bad syntax, no model, a model of another type, a tree id out of
 * sequence, an incomplete tree) is an error reply {@code ERR COMMAND key: problem} or {@code
 * WRONGTYPE COMMAND key: problem}, never an exception. Other {@code ML.*} names get an error reply
 * too; every other command goes to Redis.
 *
 * <p><b>Where models live.</b> In Redis, one hash per model under its key, in the versioned format
 * of {@link ModelStore}: every parallel instance, restart and TaskManager shares them, and writes
 * are atomic against each other.
 *
 * <p><b>Scoring cost.</b> Each instance scores from a compiled copy ({@link ModelCache}; forests as
 * flat arrays, {@link Forest}), refreshed when the model's version changes: a prediction costs no
 * round trip except the first after each refresh interval (one {@code HGET}). A change made by
 * another instance is seen within the interval; one made by this instance at once.
 *
 * <p>One instance per {@code HiredisLib} (per operator instance); used from the script's thread,
 * not thread-safe.
 */
public final class RedisMlInterceptor implements CommandInterceptor {

    /** How long a compiled copy is used before its version is checked again. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final CommandArgs commandArgs = new CommandArgs();
    private final ModelCache cache;
    private final RegressionCommands regression;
    private final ForestCommands forest;
    private final KMeansCommands kmeans;
    private final MatrixCommands matrix;

    /** With {@link #DEFAULT_REFRESH_INTERVAL}. */
    public RedisMlInterceptor() {
        this(DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * @param refreshInterval how long a compiled model is trusted before its version is checked
     */
    public RedisMlInterceptor(Duration refreshInterval) {
        this(refreshInterval, System::nanoTime, new ModelStore());
    }

    public RedisMlInterceptor(Duration refreshInterval, LongSupplier nanoClock, ModelStore store) {
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refresh interval must not be negative");
        }
        this.cache = new ModelCache(store, nanoClock, refreshInterval.toNanos());
        ModelWriter writer = new ModelWriter(store, cache);
        this.regression = new RegressionCommands(cache, writer);
        this.forest = new ForestCommands(cache, writer);
        this.kmeans = new KMeansCommands(cache, writer);
        this.matrix = new MatrixCommands(store, writer);
    }

    @Override
    public RespReply intercept(List<byte[]> args, RedisCommandExecutor redis) {
        byte[] name = args.get(0);
        if (!MlCommand.isRedisMl(name)) {
            ScriptKeyChanges.observe(args, cache);
            return null;
        }
        MlCommand command = MlCommand.of(name);
        if (command == null) {
            return RespReply.error(
                    "ERR unknown Redis-ML command '"
                            + CommandArgs.printable(name)
                            + "'; this engine answers ML.LINREG.SET/PREDICT, ML.LOGREG.SET/PREDICT,"
                            + " ML.FOREST.ADD/RUN, ML.KMEANS.SET/PREDICT and"
                            + " ML.MATRIX.SET/GET/ADD/MULTIPLY/SCALE");
        }
        CommandArgs a = commandArgs.reset(command, args);
        try {
            return switch (command) {
                case LINREG_SET, LOGREG_SET -> regression.set(a, redis);
                case LINREG_PREDICT -> regression.predict(a, redis, false);
                case LOGREG_PREDICT -> regression.predict(a, redis, true);
                case FOREST_ADD -> forest.add(a, redis);
                case FOREST_RUN -> forest.run(a, redis);
                case KMEANS_SET -> kmeans.set(a, redis);
                case KMEANS_PREDICT -> kmeans.predict(a, redis);
                case MATRIX_SET -> matrix.set(a, redis);
                case MATRIX_GET -> matrix.get(a, redis);
                case MATRIX_ADD -> matrix.add(a, redis);
                case MATRIX_MULTIPLY -> matrix.multiply(a, redis);
                case MATRIX_SCALE -> matrix.scale(a, redis);
            };
        } catch (ModelException e) {
            return RespReply.error(e.reply(a.context()));
        }
    }
}
