package org.dragonflymle.ml.protocol;

import java.nio.charset.StandardCharsets;

/** The Redis-ML commands this engine answers, with their syntax as Redis-ML documented it. */
public enum MlCommand {
    LINREG_SET("ML.LINREG.SET", "key intercept coefficient [coefficient ...]"),
    LINREG_PREDICT("ML.LINREG.PREDICT", "key feature [feature ...]"),
    LOGREG_SET("ML.LOGREG.SET", "key intercept coefficient [coefficient ...]"),
    LOGREG_PREDICT("ML.LOGREG.PREDICT", "key feature [feature ...]"),
    FOREST_ADD(
            "ML.FOREST.ADD",
            "key tree path (NUMERIC attr threshold | CATEGORIC attr v1[:v2...] | LEAF value"
                    + " [[STATS] stats]) [path NODE ...]"),
    FOREST_RUN("ML.FOREST.RUN", "key attr:value[,attr:value...] [CLASSIFICATION|REGRESSION]"),
    KMEANS_SET("ML.KMEANS.SET", "key k dimensions center-values (k * dimensions of them)"),
    KMEANS_PREDICT("ML.KMEANS.PREDICT", "key feature [feature ...]"),
    MATRIX_SET("ML.MATRIX.SET", "key rows cols entry11 ... entryNM"),
    MATRIX_GET("ML.MATRIX.GET", "key"),
    MATRIX_ADD("ML.MATRIX.ADD", "matrix1 matrix2 sum"),
    MATRIX_MULTIPLY("ML.MATRIX.MULTIPLY", "matrix1 matrix2 product"),
    MATRIX_SCALE("ML.MATRIX.SCALE", "key scalar");

    private static final MlCommand[] ALL = values();

    private final String commandName;
    private final byte[] nameBytes;
    private final String usage;

    MlCommand(String commandName, String usage) {
        this.commandName = commandName;
        this.nameBytes = commandName.getBytes(StandardCharsets.US_ASCII);
        this.usage = commandName + " " + usage;
    }

    /** The name in upper case, e.g. {@code ML.FOREST.RUN}. */
    String commandName() {
        return commandName;
    }

    String usage() {
        return usage;
    }

    /** Whether {@code name} starts with {@code ML.} in any case: a Redis-ML command or a typo. */
    public static boolean isRedisMl(byte[] name) {
        return name.length > 3
                && (name[0] | 0x20) == 'm'
                && (name[1] | 0x20) == 'l'
                && name[2] == '.';
    }

    /** The command named {@code name} (any case), or null. */
    public static MlCommand of(byte[] name) {
        for (MlCommand c : ALL) {
            if (Ascii.equalsIgnoreCase(name, c.nameBytes)) {
                return c;
            }
        }
        return null;
    }
}
