package org.dragonflymle.ml.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The arguments of one Redis-ML command, read with the checks and error messages every command
 * shares: each problem becomes a {@link ModelException} naming the argument; the interceptor adds
 * the command and the key, e.g. {@code ERR ML.LINREG.SET a: coefficient 2 'x' is not a number}.
 *
 * <p>A view over the caller's list, valid during one interception; the bytes are not copied. Reused
 * for every command of one interceptor: not thread-safe.
 */
public final class CommandArgs {

    private MlCommand command;
    private List<byte[]> args;

    /** Points this view at a new command; index 0 is the command name. */
    public CommandArgs reset(MlCommand command, List<byte[]> args) {
        this.command = command;
        this.args = args;
        return this;
    }

    MlCommand command() {
        return command;
    }

    /** Number of arguments after the command name. */
    public int count() {
        return args.size() - 1;
    }

    /** Argument {@code i} (1 = the key) as bytes. */
    public byte[] bytes(int i) {
        return args.get(i);
    }

    /** The whole command, name first. */
    public List<byte[]> all() {
        return args;
    }

    /** The key, argument 1. */
    public byte[] key() {
        return args.get(1);
    }

    /** Argument {@code i} decoded as UTF-8, for messages and names. */
    String text(int i) {
        return utf8(args.get(i));
    }

    /** Fails unless there are between {@code min} and {@code max} arguments after the name. */
    public void requireCount(int min, int max) {
        int n = count();
        if (n < min || n > max) {
            throw ModelException.err(
                    "wrong number of arguments (" + n + "); usage: " + command.usage());
        }
    }

    /** Argument {@code i} as a number; {@code what} names it in the message. */
    public double number(int i, String what) {
        byte[] b = args.get(i);
        double v = DecimalParser.parseOrNaN(b, 0, b.length);
        if (v != v && !DecimalParser.isNumber(b)) {
            throw notANumber(what, b);
        }
        return v;
    }

    /** Argument {@code i} as a whole number from 0 to {@link Integer#MAX_VALUE}. */
    public int wholeNumber(int i, String what) {
        double v = number(i, what);
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw error(what + " '" + printable(args.get(i)) + "' is not a whole number >= 0");
        }
        return (int) v;
    }

    /**
     * Arguments {@code from} to the last as numbers into {@code into[0..]}, without allocating; the
     * message names a bad one as "{@code what} N" (1-based).
     */
    public void numbers(int from, double[] into, String what) {
        int n = args.size();
        for (int i = from; i < n; i++) {
            byte[] b = args.get(i);
            double v = DecimalParser.parseOrNaN(b, 0, b.length);
            if (v != v && !DecimalParser.isNumber(b)) {
                throw notANumber(what + " " + (i - from + 1), b);
            }
            into[i - from] = v;
        }
    }

    private ModelException notANumber(String what, byte[] b) {
        return error(what + " '" + printable(b) + "' is not a number");
    }

    /** An {@code ERR} with {@code problem}. */
    public ModelException error(String problem) {
        return ModelException.err(problem);
    }

    /** "ML.X.Y key", for messages. */
    public String context() {
        return command.commandName() + (args.size() > 1 ? " " + printable(args.get(1)) : "");
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A value for a message: UTF-8, cut to 64 characters. */
    public static String printable(byte[] b) {
        String s = utf8(b);
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
