package org.dragonflymle.ml.protocol;

/**
 * A Redis-ML command that cannot be answered as asked: bad syntax, no model under the key, a model
 * of another type, a tree id out of sequence, an incomplete tree. {@code
 * ml.command.RedisMlInterceptor} turns it into the error reply the script receives, {@code CODE
 * COMMAND key: problem}, e.g. {@code ERR ML.FOREST.ADD f: tree id 3 is out of sequence: the forest
 * has 1 tree, the next id is 1}. Never leaves the ml package: a script never sees an exception for
 * a bad command.
 */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    private ModelException(String code, String problem) {
        super(problem, null, false, false);
        this.code = code;
    }

    /** A generic error: the reply starts with {@code ERR}. */
    public static ModelException err(String problem) {
        return new ModelException("ERR", problem);
    }

    /** The key holds something else: the reply starts with {@code WRONGTYPE}, as Redis-ML's did. */
    public static ModelException wrongType(String problem) {
        return new ModelException("WRONGTYPE", problem);
    }

    /** A reply Redis itself gave (already {@code CODE message}), passed on as it is. */
    public static ModelException fromRedis(String line) {
        int space = line.indexOf(' ');
        return space > 0
                ? new ModelException(line.substring(0, space), line.substring(space + 1))
                : new ModelException("ERR", line);
    }

    /** The error line for the script: {@code CODE context: problem}. */
    public String reply(String context) {
        return code + " " + context + ": " + getMessage();
    }
}
