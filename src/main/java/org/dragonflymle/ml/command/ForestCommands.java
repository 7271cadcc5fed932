package org.dragonflymle.ml.command;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.ml.model.DecisionTree;
import org.dragonflymle.ml.model.Forest;
import org.dragonflymle.ml.model.ModelType;
import org.dragonflymle.ml.protocol.Ascii;
import org.dragonflymle.ml.protocol.CommandArgs;
import org.dragonflymle.ml.protocol.PredictionFormat;
import org.dragonflymle.ml.store.ModelCache;
import org.dragonflymle.ml.store.ModelCodec;
import org.dragonflymle.ml.store.ModelStore;
import org.dragonflymle.ml.store.ModelWriter;
import org.dragonflymle.ml.store.TreeSyntax;
import org.dragonflymle.redis.RedisCommandExecutor;
import org.dragonflymle.redis.RespReply;

/**
 * {@code ML.FOREST.ADD} and {@code ML.FOREST.RUN}.
 *
 * <p>ADD changes one tree: tree ids start at 0 and a new tree takes the next id (an id beyond it is
 * out of sequence); an existing tree gets the nodes placed on it ({@link DecisionTree}). The tree
 * must be complete after the command, so a tree is normally added in one command, parents before
 * children. Nothing is stored when the command fails. Only the changed tree is written (one hash
 * field), atomically against other writers (see {@link ModelStore}).
 *
 * <p>RUN answers a bulk string ({@link PredictionFormat}): the majority leaf value for {@code
 * CLASSIFICATION} (the default, as in Redis-ML), the mean leaf value for {@code REGRESSION}; the
 * rules are on {@link Forest}.
 */
final class ForestCommands {

    private static final byte[] CLASSIFICATION = Ascii.bytes("CLASSIFICATION");
    private static final byte[] REGRESSION = Ascii.bytes("REGRESSION");

    private final ModelCache cache;
    private final ModelWriter writer;
    private final byte[] text = new byte[PredictionFormat.MAX_LENGTH];

    ForestCommands(ModelCache cache, ModelWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    /** {@code ADD key tree path NODE [path NODE ...]}. */
    RespReply add(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(4, Integer.MAX_VALUE);
        int tree = args.wholeNumber(2, "tree id");
        List<DecisionTree.PathNode> nodes;
        try {
            nodes = TreeSyntax.parse(args.all(), 3);
        } catch (IllegalArgumentException e) {
            throw args.error("tree " + tree + ": " + e.getMessage());
        }
        byte[] key = args.key();
        String treeField = ModelCodec.treeField(tree);
        writer.update(
                redis,
                key,
                new String[] {ModelCodec.TREES, treeField},
                current -> {
                    ModelWriter.requireType(key, current, ModelType.FOREST);
                    int count = current == null ? 0 : treeCount(args, current);
                    if (tree > count) {
                        throw args.error(
                                "tree id "
                                        + tree
                                        + " is out of sequence: the forest has "
                                        + count
                                        + (count == 1 ? " tree" : " trees")
                                        + ", so the next id is "
                                        + count);
                    }
                    byte[] before = tree < count ? current.fields().get(treeField) : null;
                    DecisionTree t = decode(args, tree, before);
                    try {
                        for (DecisionTree.PathNode n : nodes) {
                            t.put(n.path(), n.node());
                        }
                    } catch (IllegalArgumentException e) {
                        throw args.error("tree " + tree + ": " + e.getMessage());
                    }
                    String missing = t.missingPath();
                    if (missing != null) {
                        throw args.error(
                                "tree "
                                        + tree
                                        + " is incomplete: no node at path '"
                                        + missing
                                        + "' (send a tree's nodes in one command, parents first)");
                    }
                    byte[] encoded = ModelCodec.encodeTree(t);
                    if (Arrays.equals(before, encoded)) {
                        return null;
                    }
                    Map<String, byte[]> fields = new LinkedHashMap<>();
                    fields.put(treeField, encoded);
                    if (tree == count) {
                        fields.put(ModelCodec.TREES, Ascii.bytes(Integer.toString(count + 1)));
                    }
                    return new ModelWriter.Change(ModelType.FOREST, false, fields);
                });
        return RespReply.OK;
    }

    /** {@code RUN key sample [CLASSIFICATION|REGRESSION]}. */
    RespReply run(CommandArgs args, RedisCommandExecutor redis) {
        args.requireCount(2, 3);
        boolean classification = true;
        if (args.count() == 3) {
            byte[] mode = args.bytes(3);
            if (Ascii.equalsIgnoreCase(mode, REGRESSION)) {
                classification = false;
            } else if (!Ascii.equalsIgnoreCase(mode, CLASSIFICATION)) {
                throw args.error(
                        "mode '"
                                + CommandArgs.printable(mode)
                                + "' is not CLASSIFICATION or REGRESSION");
            }
        }
        Forest forest = (Forest) cache.get(redis, args.key(), ModelType.FOREST);
        double y;
        try {
            y = forest.run(args.bytes(2), classification);
        } catch (IllegalArgumentException e) {
            throw args.error(e.getMessage());
        }
        return RespReply.bulk(PredictionFormat.format(y, text));
    }

    private static int treeCount(CommandArgs args, ModelStore.Snapshot current) {
        try {
            return ModelCodec.treeCount(current.fields());
        } catch (IllegalArgumentException e) {
            throw args.error("the stored forest is unreadable: " + e.getMessage());
        }
    }

    private static DecisionTree decode(CommandArgs args, int tree, byte[] stored) {
        if (stored == null) {
            return new DecisionTree();
        }
        try {
            return ModelCodec.decodeTree(stored);
        } catch (IllegalArgumentException e) {
            throw args.error("stored tree " + tree + " is unreadable: " + e.getMessage());
        }
    }
}
