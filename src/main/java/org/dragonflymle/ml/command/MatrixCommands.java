package org.dragonflymle.ml.command;

import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.ml.model.Matrix;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.ModelException;
import org.dragonflymle.ml.protocol.PredictionFormat;
import org.dragonflymle.ml.store.ModelCodec;
import org.dragonflymle.ml.store.ModelStore;
import org.dragonflymle.ml.store.ModelWriter;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * {@code ML.MATRIX.SET/GET/ADD/MULTIPLY/SCALE}. Matrices are data rather than scoring models, so
 * they are read from Redis by every command (never from a possibly older copy in this process).
 * {@code GET} answers an array: rows and cols as integers, then the entries row by row as bulk
 * strings ({@link PredictionFormat}). {@code ADD} and {@code MULTIPLY} store the result under their
 * third key, which may be one of the operands.
 */
final class MatrixCommands {

    private final ModelStore store;
    private final ModelWriter writer;

    MatrixCommands(ModelStore store, ModelWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** {@code SET key rows cols entry11 ... entryNM}. */
    RespReply set(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(4, Integer.MAX_VALUE);
        int rows = args.wholeNumber(2, "rows");
        int cols = args.wholeNumber(3, "cols");
        int entries = args.count() - 3;
        if (rows == 0 || cols == 0 || (long) rows * cols != entries) {
            throw args.error(
                    "rows ("
                            + rows
                            + ") and cols ("
                            + cols
                            + ") must be > 0 and followed by rows * cols entries; got "
                            + entries);
        }
        double[] values = new double[entries];
        args.numbers(4, values, "entry");
        store(redis, args.key(), new Matrix(rows, cols, values));
        return RespReply.OK;
    }

    /** {@code GET key}. */
    RespReply get(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(1, 1);
        Matrix m = read(redis, args.key());
        List<RespReply> reply = new ArrayList<>(2 + m.rows() * m.cols());
        reply.add(RespReply.integer(m.rows()));
        reply.add(RespReply.integer(m.cols()));
        for (double v : m.values()) {
            reply.add(RespReply.bulk(PredictionFormat.format(v)));
        }
        return RespReply.array(reply);
    }

    /** {@code ADD a b sum}. */
    RespReply add(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(3, 3);
        Matrix a = read(redis, args.bytes(1));
        Matrix b = read(redis, args.bytes(2));
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw args.error("cannot add a " + shape(a) + " matrix and a " + shape(b) + " matrix");
        }
        store(redis, args.bytes(3), a.plus(b));
        return RespReply.OK;
    }

    /** {@code MULTIPLY a b product}. */
    RespReply multiply(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(3, 3);
        Matrix a = read(redis, args.bytes(1));
        Matrix b = read(redis, args.bytes(2));
        if (a.cols() != b.rows()) {
            throw args.error(
                    "cannot multiply a "
                            + shape(a)
                            + " matrix by a "
                            + shape(b)
                            + " matrix: the first one's cols must equal the second one's rows");
        }
        store(redis, args.bytes(3), a.times(b));
        return RespReply.OK;
    }

    /** {@code SCALE key scalar}: atomic against other writers. */
    RespReply scale(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(2, 2);
        double factor = args.number(2, "scalar");
        byte[] key = args.key();
        writer.update(
                redis,
                key,
                new String[] {ModelCodec.MODEL},
                current -> {
                    if (current == null) {
                        throw noMatrix(key);
                    }
                    ModelWriter.requireType(key, current, ModelType.MATRIX);
                    Matrix scaled = decode(key, current).scaled(factor);
                    return new ModelWriter.Change(
                            ModelType.MATRIX, true, ModelCodec.encode(scaled));
                });
        return RespReply.OK;
    }

    private void store(RedisCommandExecutor redis, byte[] key, Matrix m) {
        writer.replace(redis, key, ModelType.MATRIX, ModelCodec.encode(m), null);
    }

    private Matrix read(RedisCommandExecutor redis, byte[] key) {
        ModelStore.Snapshot s = store.readAll(redis, key);
        if (s == null) {
            throw noMatrix(key);
        }
        ModelWriter.requireType(key, s, ModelType.MATRIX);
        return decode(key, s);
    }

    private static Matrix decode(byte[] key, ModelStore.Snapshot s) {
        try {
            return ModelCodec.decodeMatrix(s.fields());
        } catch (IllegalArgumentException e) {
            throw ModelException.err(
                    "the stored matrix at key '"
                            + CommandArgs.printable(key)
                            + "' is unreadable: "
                            + e.getMessage());
        }
    }

    private static ModelException noMatrix(byte[] key) {
        return ModelException.err("no matrix at key '" + CommandArgs.printable(key) + "'");
    }

    private static String shape(Matrix m) {
        return m.rows() + "x" + m.cols();
    }
}
